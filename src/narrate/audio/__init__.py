"""Stage 4, audio: rendered segments (and intro/outro music) -> one mastered episode.

``join`` (segments into one WAV, with cues and chapters), ``master`` (loudness, peak limit,
encode, measure) and ``ffmpeg`` (finding and running it: the leaf both use).
"""
