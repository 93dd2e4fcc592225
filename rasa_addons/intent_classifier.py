"""Rasa's logistic-regression intent classifier on TF-IDF-weighted features.

Rasa's `LogisticRegressionClassifier` fits scikit-learn's logistic regression on the
sentence features of the featurizers before it (here: word 1–2-gram and character
1–4-gram counts). Two changes measured better on the held-out sets than DIET without
transformer (README "Choosing the pipeline"), at a fraction of its training time:

- the counts are weighted by TF-IDF with sublinear term frequency, so a frequent word
  ("legal", "法律") counts less than a rare one ("notary", "公证");
- the regularisation `C` is a setting (Rasa fixes 1.0, which under-fits 51 intents).

Persistence, loading with skops and the intent ranking are Rasa's. Two departures: a
message with no word or character n-gram the model knows (empty, only spaces, only an
emoji) gets no intent, as DIET does, instead of the intercepts' favourite, so the
fallback asks again; and loading fails loudly instead of falling back, as Rasa's does,
to an untrained classifier.
"""
from __future__ import annotations

from typing import Any, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import normalize

# TfidfTransformer keeps its IDF weights as a sparse diagonal matrix, which skops loads
# with its own loader (no pickle) but does not trust by default.
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class TfidfLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Logistic regression over TF-IDF-weighted sparse features, with a settable C."""

    @staticmethod
    def get_default_config() -> dict[Text, Any]:
        """Rasa's defaults plus C and the TF-IDF weighting; more iterations to converge."""
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "C": 30.0,
            "max_iter": 1000,
            "sublinear_tf": True,
        }

    def __init__(
        self,
        config: dict[Text, Any],
        name: Text,
        model_storage: ModelStorage,
        resource: Resource,
    ) -> None:
        """Build the scikit-learn pipeline that Rasa's methods fit, persist and query."""
        super().__init__(config, name, model_storage, resource)
        self.clf = Pipeline([
            ("tfidf", TfidfTransformer(sublinear_tf=self.config["sublinear_tf"])),
            ("logistic_regression", LogisticRegression(
                C=self.config["C"],
                solver=self.config["solver"],
                max_iter=self.config["max_iter"],
                tol=self.config["tol"],
                random_state=self.config["random_state"],
            )),
        ])

    def process(self, messages: list[Message]) -> list[Message]:
        """Rank the intents of each message that has known features; the rest get none."""
        known = [_has_known_features(message) for message in messages]
        readable = [message for message, has_features in zip(messages, known, strict=True) if has_features]
        if readable:
            probabilities = self.probabilities(readable)
            for message, row in zip(readable, probabilities, strict=True):
                ranking = sorted(({"name": name, "confidence": confidence}
                                  for name, confidence in zip(self.clf.classes_, row, strict=True)),
                                 key=lambda candidate: -candidate["confidence"])
                message.set(INTENT, ranking[0], add_to_output=True)
                if self.config[RANKING_LENGTH] > 0:
                    ranking = ranking[: self.config[RANKING_LENGTH]]
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        for message, has_features in zip(messages, known, strict=True):
            if not has_features:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        """The messages' feature rows, each combined once per message (here and in the crisis
        classifier)."""
        return vstack([_features_of(message)[0] for message in messages])

    def probabilities(self, messages: list[Message]) -> np.ndarray:
        """`self.clf.predict_proba` of the messages, without scikit-learn's per-call checks.

        TfidfTransformer.transform checks that it is fitted by reading `idf_`, which sums its
        IDF diagonal matrix anew (80,000 columns), and the pipeline validates its input twice:
        3 ms of a 30 ms turn on 2 cores (bench/PROFILE.md). The weighting is the same:
        sublinear term frequency, the fitted IDF, the transformer's norm.
        """
        tfidf = self.clf.named_steps["tfidf"]
        if getattr(self, "_idf", None) is None:
            self._idf = tfidf.idf_ if tfidf.use_idf else None
        X = csr_matrix(self._create_X(messages), dtype=np.float64, copy=True)
        if tfidf.sublinear_tf:
            np.log(X.data, X.data)
            X.data += 1
        if self._idf is not None:
            X = csr_matrix(X.multiply(self._idf))
        if tfidf.norm:
            X = normalize(X, norm=tfidf.norm, copy=False)
        return self.clf.named_steps["logistic_regression"].predict_proba(X)

    @classmethod
    def load(
        cls,
        config: dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfLogisticRegressionClassifier:
        """Load the trained pipeline; raise if it is missing or holds other types than these."""
        import skops.io as sio

        with model_storage.read_from(resource) as model_dir:
            classifier_file = model_dir / f"{resource.name}.skops"
            untrusted = set(sio.get_untrusted_types(file=classifier_file)) - set(TRUSTED_TYPES)
            if untrusted:
                raise ValueError(f"{classifier_file.name} holds untrusted types: {untrusted}")
            component = cls(config, execution_context.node_name, model_storage, resource)
            component.clf = sio.load(classifier_file, trusted=TRUSTED_TYPES)
        _store_coefficients_for_sparse_products(component.clf.named_steps["logistic_regression"])
        return component

    def train(self, training_data: TrainingData) -> Resource:
        """Fit as Rasa does, then lay the coefficients out for fast sparse products."""
        resource = super().train(training_data)
        _store_coefficients_for_sparse_products(self.clf.named_steps["logistic_regression"])
        return resource


def _store_coefficients_for_sparse_products(classifier: LogisticRegression) -> None:
    """Keep the coefficients in Fortran order, so their transpose is C-contiguous.

    scikit-learn scores a sparse message as `X @ coef_.T`; scipy's sparse-times-dense
    product ravels the dense side in C order, which copies a transposed C-ordered matrix on
    every call: 80 intents × 80,000 n-grams, 22 of a message's 28 ms. The values are the same.
    """
    if hasattr(classifier, "coef_"):
        classifier.coef_ = np.asfortranarray(classifier.coef_)


def _has_known_features(message: Message) -> bool:
    """Whether the featurizers found any known n-gram in the message's text."""
    return _features_of(message)[1] > 0


def _features_of(message: Message) -> tuple[csr_matrix, int]:
    """The message's sentence features as one row (sparse, then dense, as Rasa's logistic
    regression lays them out) and how many sparse ones are non-zero.

    Combining a message's features stacks every featurizer's matrices: done once per message
    and kept on it (the classifiers run after the last featurizer, so they no longer change).
    """
    cached = message.__dict__.get("_sentence_row")
    if cached is None:
        sparse = message.get_sparse_features(TEXT)[1]
        dense = message.get_dense_features(TEXT)[1]
        row = hstack([csr_matrix(sparse.features if sparse else []),
                      csr_matrix(dense.features if dense else [])]).tocsr()
        cached = message.__dict__["_sentence_row"] = (row, sparse.features.nnz if sparse else 0)
    return cached
