"""The e2e tests' oracle: scikit-learn's own predictions for rows, loaded as the servers load the model.

    /usr/bin/python3 test/model-servers/predict.py <model-dir>   (stdin: {"columns": [...], "data": [[...]]})

Prints {"predictions": [...]} (Python's json writes doubles with repr, so they parse back to the same numbers).
"""

import json
import sys

import pandas as pd

from mlflow_model import MlflowSklearnModel

if __name__ == "__main__":
    model = MlflowSklearnModel(sys.argv[1])
    split = json.load(sys.stdin)
    print(json.dumps({"predictions": model.predict(pd.DataFrame(split["data"], columns=split["columns"]))}))
