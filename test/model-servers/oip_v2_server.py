"""A stand-in for an Open Inference Protocol v2 server (KServe / MLServer / Triton REST) over a real pickled
scikit-learn model, as MLServer's sklearn runtime serves it: one FP64 input `input-0` [-1, features], one FP64
output `predict` [-1]. Routes (https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/):

  GET  /v2/health/live, /v2/health/ready                     → 200 {"live"|"ready": true}
  GET  /v2/models/{m}[/versions/{v}]/ready                   → 200 when loaded, 400 {"error"} when not, 404 unknown
  GET  /v2/models/{m}[/versions/{v}]                         → metadata {name, versions, platform, inputs, outputs}
  POST /v2/models/{m}[/versions/{v}]/infer                   → {model_name, model_version, id, outputs}
  POST /v2/repository/models/{m}/load | unload               → 200 {} (the repository extension)

Every request is checked as such a server would (tensor name, datatype, shape against data); errors are
{"error": "..."} with 400 or 404. With --lazy the model starts unloaded (a multi-model server that loads on
demand); with --token every request must carry `Authorization: Bearer T`.

    /usr/bin/python3 test/model-servers/oip_v2_server.py --model-dir DIR --model-name M --model-version V
        [--port N] [--lazy] [--token T]
"""

import argparse
import json
import re
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

from mlflow_model import MlflowSklearnModel

MODEL_PATH = re.compile(r"^/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?$")
REPOSITORY_PATH = re.compile(r"^/v2/repository/models/([^/]+)/(load|unload)$")


def make_handler(model: MlflowSklearnModel, name: str, version: str, state: dict, token: str | None):
    features = len(model.columns)
    metadata = {
        "name": name,
        "versions": [version],
        "platform": "sklearn",
        "inputs": [{"name": "input-0", "datatype": "FP64", "shape": [-1, features]}],
        "outputs": [{"name": "predict", "datatype": "FP64", "shape": [-1]}],
    }

    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as real model servers (uvicorn, Triton) answer; every response carries Content-Length.
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def send(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def authorized(self) -> bool:
            if token is None or self.headers.get("Authorization") == f"Bearer {token}":
                return True
            self.send(401, {"error": "bad or missing bearer token"})
            return False

        def model_of(self, m: str, v: str | None) -> bool:
            if m != name or (v is not None and v != version):
                self.send(404, {"error": f"Model {m} with version {v} not found"})
                return False
            return True

        def do_GET(self) -> None:
            if not self.authorized():
                return
            if self.path == "/v2/health/live":
                return self.send(200, {"live": True})
            if self.path == "/v2/health/ready":
                return self.send(200, {"ready": True})
            match = MODEL_PATH.match(self.path)
            if not match or match.group(3) == "/infer" or not self.model_of(match.group(1), match.group(2)):
                if not match or match.group(3) == "/infer":
                    self.send(404, {"error": "not found"})
                return
            if match.group(3) == "/ready":
                return self.send(200, {"name": name, "ready": True}) if state["loaded"] else self.send(
                    400, {"error": f"Model {name} is not ready"})
            self.send(200, metadata)

        def do_POST(self) -> None:
            # Read first: a keep-alive connection must not hold an unread body when we answer early.
            text = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            if not self.authorized():
                return
            repository = REPOSITORY_PATH.match(self.path)
            if repository:
                if repository.group(1) != name:
                    return self.send(404, {"error": f"Model {repository.group(1)} not found in the repository"})
                state["loaded"] = repository.group(2) == "load"
                state["loads"] += repository.group(2) == "load"
                return self.send(200, {})
            match = MODEL_PATH.match(self.path)
            if not match or match.group(3) != "/infer":
                return self.send(404, {"error": "not found"})
            if not self.model_of(match.group(1), match.group(2)):
                return
            if not state["loaded"]:
                return self.send(400, {"error": f"Model {name} is not ready"})
            try:
                request = json.loads(text)
                inputs = request["inputs"]
                if not isinstance(inputs, list) or len(inputs) != 1:
                    raise ValueError("expected exactly one input tensor, 'input-0'")
                tensor = inputs[0]
                if tensor.get("name") != "input-0" or tensor.get("datatype") != "FP64":
                    raise ValueError(f"expected input-0 FP64, got {tensor.get('name')} {tensor.get('datatype')}")
                shape = tensor["shape"]
                data = np.asarray(tensor["data"], dtype=np.float64).reshape(-1)
                if len(shape) != 2 or shape[1] != features or data.size != shape[0] * shape[1]:
                    raise ValueError(f"shape {shape} does not fit [-1, {features}] with {data.size} values")
                rows = data.reshape(shape[0], features)
                predictions = model.predict(rows)
            except (KeyError, TypeError, ValueError) as e:
                return self.send(400, {"error": f"invalid infer request: {e}"})
            self.send(200, {
                "model_name": name,
                "model_version": version,
                "id": request.get("id", str(uuid.uuid4())),
                "parameters": {},
                "outputs": [{"name": "predict", "shape": [len(predictions)], "datatype": "FP64", "data": predictions}],
            })

    return Handler


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--model-name", required=True)
    parser.add_argument("--model-version", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--lazy", action="store_true")
    parser.add_argument("--token")
    args = parser.parse_args()
    state = {"loaded": not args.lazy, "loads": 0}
    handler = make_handler(MlflowSklearnModel(args.model_dir), args.model_name, args.model_version, state, args.token)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()
