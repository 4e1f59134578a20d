"""Loads an MLflow model directory the way `mlflow.pyfunc.load_model` does for the `sklearn` flavor, without mlflow
(not installable here): the MLmodel file, the pickled estimator it names, and the signature's input columns.
Used by the two test model servers and by the e2e tests' oracle (`predict.py`).
"""

import json
import os
import pickle
from typing import Any

import numpy as np
import pandas as pd
import yaml


class MlflowSklearnModel:
    def __init__(self, model_dir: str) -> None:
        with open(os.path.join(model_dir, "MLmodel"), encoding="utf-8") as handle:
            self.mlmodel = yaml.safe_load(handle)
        flavors = self.mlmodel["flavors"]
        if "python_function" not in flavors or "sklearn" not in flavors:
            raise ValueError(f"{model_dir} is not an MLflow sklearn model: flavors {sorted(flavors)}")
        if flavors["python_function"].get("loader_module") != "mlflow.sklearn":
            raise ValueError("python_function.loader_module must be mlflow.sklearn")
        with open(os.path.join(model_dir, flavors["sklearn"]["pickled_model"]), "rb") as handle:
            self.estimator = pickle.load(handle)
        inputs = json.loads((self.mlmodel.get("signature") or {}).get("inputs") or "[]")
        self.columns: list[str] = [spec["name"] for spec in inputs]
        self.mlflow_version: str = self.mlmodel.get("mlflow_version", "unknown")

    def frame(self, data: Any) -> pd.DataFrame:
        """The input as the DataFrame pyfunc's schema enforcement passes on: the signature's columns, in order, as doubles."""
        frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
        if not self.columns:
            return frame
        missing = [c for c in self.columns if c not in frame.columns]
        if missing and len(frame.columns) == len(self.columns) and all(isinstance(c, int) for c in frame.columns):
            frame.columns = self.columns  # a plain 2-D array, matched by position
            missing = []
        if missing:
            raise ValueError(f"Model is missing inputs {missing}.")
        return frame[self.columns].astype(np.float64)

    def predict(self, data: Any) -> list[Any]:
        return np.asarray(self.estimator.predict(self.frame(data))).tolist()
