"""Ofsted's Annex A: the lists a council gives inspectors under the ILACS framework, as one
xlsx workbook written from the records (issue 19, item 6; docs/decisions/0026-annex-a.md)."""
