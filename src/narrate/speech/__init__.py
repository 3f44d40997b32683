"""Stage 2, speech: an ``Article`` -> a ``Script`` of paced segments, each with what is said.

``announce`` (the spoken intro and outro lines), ``segment`` (sentences, pieces that fit the
engine, pauses), ``normalize`` (written text -> spoken words, its rules in order), the rule
families of each language (English: ``numbers_en``, ``money_en``, ``units_en``, ``digits_en``,
``dates_en``, ``times_en``, ``words_en``; ``german``, ``french``, ``spanish`` over
``continental``), ``forms`` (letters said as letters, written for each engine), ``lexicon``
(respellings), ``explain`` (which rule or entry made each word) and ``trace`` (what decided a
spoken form, for the benchmark's cross-validation).
"""
