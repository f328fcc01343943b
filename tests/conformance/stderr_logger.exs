# Loaded first by tests/conformance/record (and by tst_beam's --beam runs): Logger's
# reports (crash reports, "unexpected message" reports) go to stderr, never stdout, so a
# stdout golden holds only what the program prints itself.
Logger.configure_backend(:console, device: :standard_error)
