"""Where data lives besides the round folder: SIPD DSSD exports and open-data portal inventories.

* :mod:`satudata.sources.dssd`: SIPD "Data Statistik Sektoral Daerah" exports (``kode_dssd, uraian_dssd,
  satuan, [definisi_operasional,] data_<year>...``): read into values, written back per OPD.
* :mod:`satudata.sources.portal`: a portal's dataset inventory (Open Data Jabar's ``Produsen Data;Judul
  Tabel;Tahun Data;Status Data;Tautan``) matched to the catalogue: dataset-level completeness per producer.
"""
