"""Every public operation of the served OpenAPI document has its SDK method (and ``..._all`` when paged)."""

from __future__ import annotations

import inspect
import json
import os
import re
import unittest
import urllib.request
from pathlib import Path

import penguinmails

from .harness import env

OPERATIONS = Path(os.path.abspath(__file__)).parents[2] / "operations.json"


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class CoverageTests(unittest.TestCase):
    def test_every_served_operation_has_a_method(self) -> None:
        with urllib.request.urlopen(env("PENGUINMAILS_OPENAPI_URL"), timeout=30) as answer:
            document = json.load(answer)
        listed = {o["operation_id"]: o for o in json.loads(OPERATIONS.read_text(encoding="utf-8"))["operations"]}
        served = {op["operationId"]: (method.upper(), path)
                  for path, item in document["paths"].items() if path.startswith("/api/v1/")
                  for method, op in item.items() if isinstance(op, dict) and "operationId" in op}
        self.assertGreaterEqual(len(served), 60)
        self.assertEqual([], sorted(set(served) - set(listed)), "served operations missing from operations.json")
        client = penguinmails.Client("pm_test_coverage", base_url="http://127.0.0.1:9")
        missing = []
        for operation_id in served:
            op = listed[operation_id]
            self.assertEqual(served[operation_id], (op["method"], op["path"]), operation_id)
            resource = getattr(client, snake(op["resource"]), None)
            names = [snake(op["name"])] + ([snake(op["name"]) + "_all"] if op["paged"] else [])
            for name in names:
                method = getattr(resource, name, None)
                if not callable(method):
                    missing.append(f"{operation_id}: client.{snake(op['resource'])}.{name}")
                    continue
                parameters = inspect.signature(method).parameters
                for path_param in op["path_params"]:
                    self.assertIn(path_param, parameters, f"{operation_id}: {name} lacks {path_param}")
                for query in op["query_params"]:
                    if query != "cursor" or not name.endswith("_all"):
                        self.assertIn(query + ("_" if query == "from" else ""), parameters, f"{operation_id}.{query}")
                if op["idempotency_key"] and not name.endswith("_all"):
                    self.assertIn("idempotency_key", parameters, operation_id)
        self.assertEqual([], missing, "operations without an SDK method")
