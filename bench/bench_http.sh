#!/usr/bin/env bash
# The HTTP benchmark (bench/http/run.sh): inspections, /healthz, nginx as the
# reference, durable crossings. usage: bench/bench_http.sh [BUILD]
exec bash "$(dirname "$0")/http/run.sh" "$@"
