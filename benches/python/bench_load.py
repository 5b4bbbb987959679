"""CIP creation from Python at 32 threads against the in-process sandbox: pagoefectivo vs requests vs httpx.

The plain implementations make the same calls: one authorization (token cached),
then POST /v1/cips with the JSON body, parsing the answer with an exact Decimal amount.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable

import httpx
import requests

import pagoefectivo
from pagoefectivo.testing import Sandbox
from rounds import ratio_line, ratios, value_line

THREADS = 32
LIMA = timezone(timedelta(hours=-5))


def order(i: int) -> dict[str, Any]:
    return {
        "currency": "PEN",
        "amount": "25.50",
        "transactionCode": f"ORD-{i}",
        "userEmail": "buyer@example.pe",
        "paymentConcept": "Pedido de prueba",
    }


class Plain:
    """What a merchant writes by hand: hashString auth, bearer token, JSON in and out."""

    def __init__(self, sb: Sandbox, post: Callable[..., Any]) -> None:
        self.sb, self.post = sb, post
        date = datetime.now(LIMA).strftime("%Y-%m-%dT%H:%M:%S-05:00")
        text = f"{sb.id_service}.{sb.access_key}.{sb.secret_key}.{date}"
        auth = self.post(
            sb.base_url + "authorizations",
            {
                "accessKey": sb.access_key,
                "idService": sb.id_service,
                "dateRequest": date,
                "hashString": hashlib.sha256(text.encode()).hexdigest(),
            },
            None,
        )
        self.token = auth["data"]["token"]

    def create(self, i: int) -> dict[str, Any]:
        body = {**order(i), "serviceId": self.sb.id_service}
        answer = self.post(self.sb.base_url + "cips", body, self.token)
        data: dict[str, Any] = answer["data"]
        data["amount"] = Decimal(str(data["amount"]))
        return data


def requests_post() -> Callable[..., Any]:
    local = threading.local()

    def post(url: str, body: dict[str, Any], token: str | None) -> Any:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = session.post(url, json=body, headers=headers, timeout=30)
        r.raise_for_status()
        return json.loads(r.content, parse_float=Decimal)

    return post


def httpx_post() -> Callable[..., Any]:
    client = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=THREADS))

    def post(url: str, body: dict[str, Any], token: str | None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = client.post(url, json=body, headers=headers)
        r.raise_for_status()
        return json.loads(r.content, parse_float=Decimal)

    return post


def measure(name: str, count: int, create: Callable[[int], Any]) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        for _ in pool.map(create, range(count)):
            pass
    elapsed = time.perf_counter() - start
    rate = count / elapsed
    print(f"{name:32s} {count:6d} creations in {elapsed:6.2f} s = {rate:8.0f}/s")
    return rate


def main() -> None:
    count = int(os.environ.get("LOAD_REQUESTS", "5000"))
    rounds = int(os.environ.get("PY_BENCH_ROUNDS", "5"))
    print(f"{THREADS} threads; Python {platform.python_version()}; pagoefectivo {pagoefectivo.__version__}")
    with Sandbox() as sb:
        client = sb.client()

        def ours(i: int) -> pagoefectivo.Cip:
            return client.cips.create(
                currency="PEN",
                amount=Decimal("25.50"),
                transaction_code=f"ORD-{i}",
                user_email="buyer@example.pe",
                payment_concept="Pedido de prueba",
            )

        # The plain ones are 5-10x slower: half the calls, the same kind of rate.
        cases = [
            ("pagoefectivo.Client", count, ours),
            ("requests (Session per thread)", count // 2, Plain(sb, requests_post()).create),
            ("httpx (one shared Client)", count // 2, Plain(sb, httpx_post()).create),
        ]
        for _, _, create in cases:  # warm up connections
            for i in range(THREADS):
                create(10_000_000 + i)
        rates: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for r in range(rounds):  # interleaved, the order rotating
            for k in range(len(cases)):
                name, n, create = cases[(r + k) % len(cases)]
                rates[name].append(measure(name, n, create))
    mine = rates["pagoefectivo.Client"]
    text = "cips.create from 32 threads (min: worst round)"
    print(value_line("python_creation_32_threads", mine, "creations/s", text))
    for short, name in [(n.split()[0], n) for n, _, _ in cases[1:]]:
        text = f"creations/s from 32 threads, ours ÷ {name}"
        print(ratio_line(f"python_creation_vs_{short}", ratios(mine, rates[name]), ">=1.0", text))


if __name__ == "__main__":
    main()
