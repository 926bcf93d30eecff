"""The picture library: see docs/images.md for what it offers pages and article bodies."""
