"""The numbers of a round: stage 2 (``02_progres``).

Owns: cumulative progress per OPD and item, what is missing, and the history across rounds
(``progress``); the zone of a percent (``zones``); trends, pace and forecast across rounds (``trends``);
plausibility warnings on the values' series (``plausibility``); the quality score per producer
(``quality``).

Reads: the ``nilai`` and ``masalah`` tables of ``reading`` and the values of ``sources``; the catalogue's
items from ``reference``.
Hands on: ``progres_opd``, ``item_terkini``, ``kekurangan``, ``riwayat``, ``kualitas_*`` tables to
``outputs``, which show them and never recompute them.
"""
