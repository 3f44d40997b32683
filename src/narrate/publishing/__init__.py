"""Stages 5 and 6, publishing: a built episode -> tags, the show's catalog, feed and pages.

``tagging`` (ID3 and MP4 tags), ``cover`` (the show's art), ``transcript`` (WebVTT, SubRip, JSON
transcripts and chapters), ``catalog`` (SQLite), ``feed`` (RSS), ``pages`` (the show's and each
episode's page, the embeddable player; Jinja2 ``templates/``) and ``writer``: the one writer of
a show's folder (``publish``, ``rebuild``, ``remove``).
"""
