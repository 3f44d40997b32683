"""Stage 2, speech: an ``Article`` -> a ``Script`` of paced segments, each with what is said.

``announce`` (the spoken intro and outro lines), ``segment`` (sentences, pieces that fit the
engine, pauses), ``normalize`` (written text -> spoken words, its rules in order), the English
rule families (``numbers_en``, ``dates_en``, ``words_en``) and ``lexicon`` (respellings).
"""
