"""Stage 3, speech engines: segments -> WAV files.

``protocol`` (what an engine does), ``registry`` (the engines by name), ``cache`` (segments
spoken before), and the implementations: ``pyttsx3`` (with its worker process) and ``tone``
(deterministic, for tests).
"""
