"""A worker process of test_many_servers.py: one server of a shop, sharing a dedup store by URL.

``python dedup_worker.py deliveries URL RUN OUT``: deliveries of the same 100 events, 4 of each in a
shuffled order, handled by 8 threads; every event this process processed (``begin`` answered
``started``) is appended to OUT, and the answers it got are counted in OUT.answers (JSON). It prints
``ready`` once its store answers, then waits for a line on stdin, so that all workers start together.

``python dedup_worker.py hold URL RUN``: takes the lease (2 s) on event 0 of RUN, prints ``started`` and
sleeps: the test kills it mid-processing.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from pagoefectivo import webhooks

SECRET = "many-servers-test-secret"
EVENTS = 100
DELIVERIES_PER_EVENT = 4


def event(run: str, n: int, amount: str = "10.00") -> webhooks.Event:
    """Event ``n`` of run ``run``, signed and verified as a webhook view would receive it."""
    body = (
        f'{{"eventType":"cip.paid","operationNumber":"{run}-{n}",'
        f'"data":{{"cip":"{1000 + n}","currency":"PEN","amount":{amount}}}}}'
    ).encode()
    return webhooks.construct_event(body, webhooks.sign(body, SECRET), SECRET)


def deliveries(url: str, run: str, out: str) -> None:
    dedup = webhooks.Deduplicator.from_url(url)
    dedup.first_delivery(event(run, -1))  # connects (and creates the schema) before the start line
    print("ready", flush=True)
    sys.stdin.readline()
    lock = threading.Lock()
    answers: Counter[str] = Counter()
    order = [n for n in range(EVENTS) for _ in range(DELIVERIES_PER_EVENT)]
    random.shuffle(order)
    with open(out, "w", encoding="utf-8") as processed:

        def deliver(n: int) -> None:
            e = event(run, n)
            answer = dedup.begin(e)
            if answer == "started":
                time.sleep(random.uniform(0, 0.003))  # the shop's work
                with lock:
                    processed.write(f"{e.dedup_key}\n")
                    processed.flush()
                dedup.complete(e)
            with lock:
                answers[answer] += 1

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(deliver, order))  # re-raises a delivery's exception
    with open(out + ".answers", "w", encoding="utf-8") as f:
        json.dump(dict(answers), f)


def hold(url: str, run: str) -> None:
    dedup = webhooks.Deduplicator.from_url(url, lease=2.0)
    answer = dedup.begin(event(run, 0))
    print(answer, flush=True)
    time.sleep(3600)  # killed here, mid-processing: never completes nor fails


if __name__ == "__main__":
    role, *args = sys.argv[1:]
    if role == "deliveries":
        deliveries(*args)
    elif role == "hold":
        hold(*args)
    else:
        sys.exit(f"unknown role {role}")
