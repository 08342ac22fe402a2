// Placeholder: the package's constructs are being written.
