"""What a round is measured against: the settings, the register of producers and the catalogue.

Owns: the settings and their check, every problem at once (``settings``, ``settings_check``); the
register of OPDs and its aliases (``register``); reading a region's reference table
(``reference_table``); the catalogue of SIPD elements, the items each OPD owes and the rows left out
(``catalogue``, ``catalogue_quality``); frequency words and the years they owe (``periods``); one
spelling per unit (``units``); pandera schemas and their Indonesian reports (``validation``); the
checked register and catalogue kept between commands (``reference_cache``); the EPSS indicators by code and the
meaning of their levels (``epss_reference``, ``epss/``). The demo region's real
reference files (Demak) are in ``demak/``; ``pengaturan-contoh.toml`` is the settings example.

Reads: ``DATA_DIR/reference/`` through ``formats``.
Hands on: ``Settings``, ``Register``, ``Catalogue`` (elements, items owed) to every later stage.
"""
