"""TensorFlow and Keras, imported once with TensorFlow's C++ start-up lines kept off stderr.

Every cae_ref module takes ``tf`` and ``keras`` from here, so even a direct import such as
``from cae_ref.models import build_encoder`` writes nothing to stderr (nbgrader scores a
test cell 0 when it does).
"""

from cae_ref.quiet import quiet_tensorflow_logging, suppress_stderr

quiet_tensorflow_logging()
try:
    with suppress_stderr():
        import keras
        import tensorflow as tf
except ImportError as error:
    raise ImportError(
        f"cae_ref needs TensorFlow 2.16+ with Keras 3 ({error}); "
        "install it with: pip install 'cae_ref[tensorflow]' (or tensorflow-cpu)"
    ) from error

# TensorFlow resets its Python logger when first imported: set the level again afterwards,
# or retracing warnings still reach notebook outputs.
tf.get_logger().setLevel("ERROR")

__all__ = ["keras", "tf"]
