"""itemsrel benchmarks: `python -m benchmarks` (or `make bench`). Not part of the tests."""
