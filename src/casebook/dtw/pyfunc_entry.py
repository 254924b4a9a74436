"""MLflow models-from-code entry point for the DTW distance model (see casebook.dtw.pyfunc).

MLflow executes this file when it logs or loads the model; nothing else should import it.
"""

from mlflow.models import set_model

from casebook.dtw.pyfunc import DtwDistanceModel

set_model(DtwDistanceModel())
