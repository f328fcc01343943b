byte_size("caf√")
