"""Stage 1, intake: a source -> an ``Article`` (what a listener should hear, as written).

``source`` (read, decode, pick the reader: ``load_article``), ``fetch`` (http(s) pages),
``webpage`` (HTML, with trafilatura), ``pagedump`` and ``pagehead`` (text copied out of a
browser: its body, and its title, byline, date and deck), ``markdown``
(front matter and CommonMark), ``rules`` (what tells an article's lines from the page's),
``metadata`` (a page's headlines, time of publication and lists of links), ``bylines`` (authors
as people) and ``knobs`` (the rules named, for the benchmark's cross-validation).
"""
