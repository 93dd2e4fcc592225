"""Benchmarks of the assistant against a stock Rasa baseline, measured in the same run.

`make bench` (= `python -m bench`) trains what it needs, starts the action servers,
Rasa servers and the Telegram front end on 127.0.0.1, measures quality, latency,
throughput, conversation length, the Telegram path, start-up, training time and
memory, stops everything, and writes bench/RESULTS.md with bench/latency.png and
bench/throughput.png. `python -m bench --quick` runs small sizes for development
(results under bench/work/quick/). See `python -m bench --help`.
"""
