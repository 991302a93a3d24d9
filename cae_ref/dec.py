"""DEC-style refinement: fine-tune an encoder so that its codes form clusters (chapter 7).

Deep Embedded Clustering (Xie, Girshick and Farhadi, 2016) starts from k-means centres on a
trained encoder's codes, softly assigns every code to the centres with a Student's t kernel,
and trains the encoder and the centres to sharpen those assignments: the target squares each
soft assignment and divides by its cluster's total weight, so confident assignments pull harder
and no cluster swallows the others. The target is recomputed after every pass over the data,
and training stops when fewer than ``tol`` of the assignments changed in a pass (or after
``max_passes``). No label is used; the clusters of new images come from the refined encoder.
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import KMeans

from cae_ref._tf import keras
from cae_ref.latent import encode_flat
from cae_ref.preprocessing import check_unit_images

ops = keras.ops


class SoftAssignment(keras.layers.Layer):
    """Student's t soft assignment of codes to trainable cluster centres (DEC's ``q``)."""

    def __init__(
        self, centers: np.ndarray, alpha: float = 1.0, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.initial_centers = np.asarray(centers, dtype=np.float32)
        self.alpha = float(alpha)

    def build(self, input_shape) -> None:
        self.centers = self.add_weight(
            shape=self.initial_centers.shape,
            initializer="zeros",
            name="centers",
        )
        self.centers.assign(self.initial_centers)

    def call(self, codes):
        codes = ops.reshape(codes, (ops.shape(codes)[0], -1))
        squared = ops.sum(
            ops.square(ops.expand_dims(codes, 1) - self.centers), axis=2
        )
        kernel = ops.power(
            1.0 + squared / self.alpha, -(self.alpha + 1.0) / 2.0
        )
        return kernel / ops.sum(kernel, axis=1, keepdims=True)


def sharpened_target(q: np.ndarray) -> np.ndarray:
    """DEC's target distribution: ``q**2`` divided by each cluster's total weight, rows normalised."""
    q = np.asarray(q, dtype=np.float64)
    weight = q**2 / q.sum(axis=0)
    return (weight / weight.sum(axis=1, keepdims=True)).astype(np.float32)


class DEC:
    """A DEC model around a trained encoder: ``fit`` refines it on images, ``predict`` clusters new ones.

    ``fit`` trains the encoder it was given in place; pass a copy to keep the original.
    """

    def __init__(
        self, encoder: keras.Model, n_clusters: int = 10, seed: int = 0
    ) -> None:
        self.encoder = encoder
        self.n_clusters = n_clusters
        self.seed = seed
        self.model: keras.Model | None = None
        self.passes = 0

    def fit(
        self,
        images: np.ndarray,
        max_passes: int = 30,
        tol: float = 0.001,
        batch_size: int = 256,
        learning_rate: float = 0.01,
    ) -> DEC:
        """Initialise the centres with k-means on the codes, then refine until assignments settle.

        Every pass computes the soft assignments of all images, stops when fewer than ``tol`` of the
        hard assignments changed since the pass before, and otherwise trains one epoch towards the
        sharpened target (SGD, momentum 0.9). ``passes`` counts the passes made.
        """
        if max_passes < 1:
            raise ValueError(
                f"max_passes must be at least 1, got {max_passes}"
            )
        images = check_unit_images(images, "images")
        keras.utils.set_random_seed(self.seed)
        codes = encode_flat(self.encoder, images)
        kmeans = KMeans(
            n_clusters=self.n_clusters, n_init=20, random_state=self.seed
        ).fit(codes)
        inputs = keras.Input(shape=images.shape[1:])
        q = SoftAssignment(kmeans.cluster_centers_, name="soft_assignment")(
            self.encoder(inputs)
        )
        self.model = keras.Model(inputs, q, name="dec")
        optimizer = keras.optimizers.SGD(
            learning_rate=learning_rate, momentum=0.9
        )
        self.model.compile(
            optimizer=optimizer, loss=keras.losses.KLDivergence()
        )
        previous = kmeans.labels_
        self.passes = 0
        while self.passes < max_passes:
            self.passes += 1
            q_all = self.model.predict(images, batch_size=1024, verbose=0)
            current = q_all.argmax(axis=1)
            if self.passes > 1 and np.mean(current != previous) < tol:
                break
            previous = current
            self.model.fit(
                images,
                sharpened_target(q_all),
                batch_size=batch_size,
                epochs=1,
                verbose=0,
            )
        return self

    def predict(self, images: np.ndarray) -> np.ndarray:
        """The cluster of every image: the refined encoder's code, nearest centre by soft assignment."""
        if self.model is None:
            raise RuntimeError("call fit(images) before predict")
        images = check_unit_images(images, "images")
        return self.model.predict(images, batch_size=1024, verbose=0).argmax(
            axis=1
        )
