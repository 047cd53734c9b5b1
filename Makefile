# Only the benchmark lives here so far; Python is used for nothing else.
.PHONY: bench
bench:
	bash Benchmarks/run.sh
