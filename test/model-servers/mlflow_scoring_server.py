"""A stand-in for `mlflow models serve` over a real pickled scikit-learn model, speaking MLflow's scoring protocol
as `mlflow/pyfunc/scoring_server/__init__.py` does (mlflow is not installable here):

  GET /ping, GET /health → 200 "\\n"; GET /version → the MLflow version of the MLmodel
  POST /invocations, application/json with exactly one of dataframe_split, dataframe_records, instances, inputs
    (+ optional params), or text/csv (pandas read_csv); → 200 {"predictions": [...]}
  Errors: {"error_code": "BAD_REQUEST", "message": ...} with 400; other media types 415 text/plain.

    /usr/bin/python3 test/model-servers/mlflow_scoring_server.py --model-dir DIR --port N [--token T]

With --token, every request must carry `Authorization: Bearer T` (401 otherwise). Prints "listening on N" when ready.
"""

import argparse
import io
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pandas as pd

from mlflow_model import MlflowSklearnModel

INPUT_FIELDS = ["dataframe_split", "dataframe_records", "instances", "inputs"]
REQUIRED = (
    "The input must be a JSON dictionary with exactly one of the input fields "
    "{'dataframe_split', 'dataframe_records', 'instances', 'inputs'}"
)


def parse_json_input(body: dict) -> pd.DataFrame:
    fields = [f for f in INPUT_FIELDS if f in body]
    if len(fields) != 1:
        raise ValueError(f"{REQUIRED}. Received dictionary with input fields: {list(body)}.")
    value = body[fields[0]]
    if fields[0] == "dataframe_split":
        return pd.DataFrame(value["data"], columns=value.get("columns"), index=value.get("index"))
    if fields[0] == "dataframe_records":
        return pd.DataFrame.from_records(value)
    if isinstance(value, dict):  # named columnar tensors
        return pd.DataFrame({k: np.asarray(v).tolist() for k, v in value.items()})
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        # tf-serving row format with named inputs: MLflow makes it columnar, i.e. a DataFrame of the records
        return pd.DataFrame.from_records(value)
    return pd.DataFrame(np.asarray(value, dtype=np.float64))


def make_handler(model: MlflowSklearnModel, token: str | None):
    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as real model servers (uvicorn, Triton) answer; every response carries Content-Length.
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet: the tests read the gateway's answers
            pass

        def send(self, status: int, body: str, content_type: str = "application/json") -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status: int, message: str) -> None:
            self.send(status, json.dumps({"error_code": "BAD_REQUEST", "message": message}))

        def authorized(self) -> bool:
            if token is None or self.headers.get("Authorization") == f"Bearer {token}":
                return True
            self.send(401, json.dumps({"error_code": "UNAUTHENTICATED", "message": "bad or missing bearer token"}))
            return False

        def do_GET(self) -> None:
            if not self.authorized():
                return
            if self.path in ("/ping", "/health"):
                self.send(200, "\n")
            elif self.path == "/version":
                self.send(200, model.mlflow_version, "text/plain")
            else:
                self.send(404, "not found", "text/plain")

        def do_POST(self) -> None:
            # Read first: a keep-alive connection must not hold an unread body when we answer early.
            text = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            if not self.authorized():
                return
            if self.path != "/invocations":
                self.send(404, "not found", "text/plain")
                return
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            try:
                if content_type == "text/csv":
                    frame = pd.read_csv(io.StringIO(text))
                elif content_type == "application/json":
                    try:
                        body = json.loads(text)
                    except json.JSONDecodeError as e:
                        self.error(400, f"Invalid input. Ensure that input is a valid JSON formatted string. Error: '{e}'")
                        return
                    if not isinstance(body, dict):
                        self.error(400, f"Invalid input. {REQUIRED}.")
                        return
                    frame = parse_json_input(body)
                else:
                    self.send(415, "This predictor only supports the following content types: "
                                   "Types: ['text/csv', 'application/json'].", "text/plain")
                    return
                predictions = model.predict(frame)
            except Exception as e:  # noqa: BLE001 — MLflow answers any failure of parsing or predict this way
                self.error(400, f"Encountered an unexpected error while evaluating the model. Error: '{e}'")
                return
            self.send(200, json.dumps({"predictions": predictions}))

    return Handler


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(MlflowSklearnModel(args.model_dir), args.token))
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()
