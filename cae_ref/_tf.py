"""TensorFlow and Keras, imported once with TensorFlow's C++ start-up lines kept off stderr.

Every cae_ref module takes ``tf`` and ``keras`` from here, so even a direct import such as
``from cae_ref.models import build_encoder`` writes nothing to stderr (nbgrader scores a
test cell 0 when it does).
"""

from cae_ref.quiet import quiet_tensorflow_logging, suppress_stderr

quiet_tensorflow_logging()
with suppress_stderr():
    import keras
    import tensorflow as tf

__all__ = ["keras", "tf"]
