"""Where data lives besides the round folder: portals, SIPD and e-Walidata, read as sources of a round.

Owns: the ``[sumber]`` of a round read in stage 1, values tagged with their source, one issue per bad
source, ``satudata sumber`` (``collect``); a CKAN portal, its snapshot per round and ``ckanapi dump``
files (``ckan``); a portal's dataset inventory (Open Data Jabar's ``Produsen Data;Judul Tabel;Tahun
Data;...``) matched to the catalogue (``portal``); e-Walidata JSON (``ewalidata``); one element across
the files, SIPD and the portal (``reconcile``). SIPD DSSD exports are a file format, read by
:mod:`satudata.reading.dssd` both as a submission and as a source.

Reads: ``raw/<round>/`` snapshots and sources named in the settings, through ``reading`` and ``reference``.
Hands on: values in the ``nilai`` shape (with ``sumber``), ``sumber_portal_*`` tables and
``rekonsiliasi.parquet`` to ``evaluation`` and ``outputs``.
"""
