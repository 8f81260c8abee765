"""What people read: stages 3 and 4 (``03_laporan``, ``04_rakor``) and the notebooks' views.

Owns: the round report and its sections (``report``, ``round_view``, ``attention``, ``opd_cards``,
``urusan_view``, ``html_parts``, ``templating`` with ``templates/`` and the offline nbconvert template in
``nbtemplates/``), the technical annex (``annex``), how a zone is shown (``zone_view``: colour, symbol,
word), charts (``charts``, ``trend_charts``), the trend page (``trend_views``), the round's downloads
(``round_downloads``), the rakor deck (``deck_content``, ``slides``), the workbooks (``feedback``,
``submission_template``, ``epss``, ``workbook_cells``, ``kept_outputs``), the reconciliation section
(``reconciliation_view``), notebook views (``views``, ``summaries``, ``exploration``,
``exploration_charts``) and the headless-browser check (``browser_check``).

Reads: the tables of ``evaluation`` (and ``reading``'s issues and manifest), settings from ``reference``.
Hands on: files under ``REPORTS_DIR/<round>/``: HTML report and annex, trend page, deck, workbooks.
"""
