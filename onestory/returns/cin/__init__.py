"""The children in need (CIN) census, written from the records as the DfE's XML."""
