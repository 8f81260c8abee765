"""Submitted files into values and issues: stage 1 (``01_ingest``).

Owns: the round and its workers (``ingest``, ``parallel``), one file routed sheet by sheet
(``file_ingest``), the sender OPD (``file_producers``), the model of a real table (``table/``: where
the tables are, their titles, headers and header paths, and where each value's year, period, element
and breakdown come from), the submission template's shape (``template``, ``template_cells``,
``template_layout``), SIPD DSSD exports (``dssd``), the feedback workbook read back (``return_form``),
Indonesian numbers (``numbers``), element matching (``matching``), totals written in the tables
(``table_totals``), values against their element (``value_checks``), what a reader collects
(``ingest_context``, ``sheet_values``) and the ``nilai`` table (``value_frame``).

Reads: grids from ``formats``; settings, register and catalogue from ``reference``.
Hands on: ``processed/<round>/nilai.parquet``, ``masalah.parquet`` and ``manifest.json`` (see
``docs/architecture.md``) to ``sources`` and ``evaluation``.
"""
