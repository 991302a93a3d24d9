"""Valid autoencoder designs a student may build in exercise 2 and paste into exercises 3 to 5.

Each design is the three cells ``build_encoder``, ``build_decoder`` and ``build_autoencoder`` as a
student writes them (grade_id -> source). ``grading/calibration.py`` trains every design through the
notebooks' own code path (``cae_ref.grader.student_model.own_autoencoder``, then the student's training
functions) to place the thresholds; ``tests/exercises`` pastes each one into 02 to 05 and checks
full marks. The reference design is read from ``solutions/`` (the one source of the answers).
"""

from __future__ import annotations

from grading.submissions import REPO, reference_answers

MODEL_CELLS = ("build_encoder", "build_decoder", "build_autoencoder")
# The assignments whose notebooks hold the three model cells.
PASTED_INTO = ("02_architecture", "03_training", "04_latent_space", "05_denoising")
# Written answers (issue 13) are nbgrader's Markdown answer cells, grade_id "q_*": prose, never run.
WRITTEN_PREFIX = "q_"

_SEQUENTIAL = {
    # strided convolutions instead of pooling, other filter counts
    "build_encoder": '''
def build_encoder():
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, 7, 7, 128)."""
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.Conv2D(48, 3, strides=2, padding="same", activation="relu"),
        layers.Conv2D(128, 3, strides=2, padding="same", activation="relu"),
    ])
''',
    # UpSampling2D + Conv2D instead of transposed convolutions
    "build_decoder": '''
def build_decoder():
    """Return a new Keras model mapping codes (N, 7, 7, 128) to images (N, 28, 28, 1) in [0, 1]."""
    return keras.Sequential([
        keras.Input(shape=(7, 7, 128)),
        layers.UpSampling2D(2),
        layers.Conv2D(48, 3, padding="same", activation="relu"),
        layers.UpSampling2D(2),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ])
''',
    "build_autoencoder": '''
def build_autoencoder(encoder, decoder):
    """Return one Keras model mapping images through encoder, then decoder."""
    return keras.Sequential([keras.Input(shape=(28, 28, 1)), encoder, decoder])
''',
}

_SUBCLASSED = {
    "build_encoder": '''
class Encoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [layers.Conv2D(24, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
                       layers.Conv2D(40, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
                       layers.Conv2D(128, 3, padding="same", activation="relu")]

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return x


def build_encoder():
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, 7, 7, 128)."""
    return Encoder()
''',
    "build_decoder": '''
class Decoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.up1 = layers.Conv2DTranspose(40, 3, strides=2, padding="same", activation="relu")
        self.up2 = layers.Conv2DTranspose(24, 3, strides=2, padding="same", activation="relu")
        self.out = layers.Conv2D(1, 3, padding="same", activation="sigmoid")

    def call(self, x):
        return self.out(self.up2(self.up1(x)))


def build_decoder():
    """Return a new Keras model mapping codes (N, 7, 7, 128) to images (N, 28, 28, 1) in [0, 1]."""
    return Decoder()
''',
    "build_autoencoder": '''
class Autoencoder(keras.Model):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder, self.decoder = encoder, decoder

    def call(self, x):
        return self.decoder(self.encoder(x))


def build_autoencoder(encoder, decoder):
    """Return one Keras model mapping images through encoder, then decoder."""
    return Autoencoder(encoder, decoder)
''',
}

_FUNCTIONAL_AUTOENCODER = '''
def build_autoencoder(encoder, decoder):
    """Return one Keras model mapping images through encoder, then decoder."""
    images = keras.Input(shape=(28, 28, 1))
    return keras.Model(images, decoder(encoder(images)))
'''

_UPSAMPLING = {
    "build_encoder": '''
def build_encoder():
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, 7, 7, 128)."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D(2)(x)
    return keras.Model(inputs, layers.Conv2D(128, 3, padding="same", activation="relu")(x))
''',
    # nearest-neighbour upsampling, each step followed by a convolution
    "build_decoder": '''
def build_decoder():
    """Return a new Keras model mapping codes (N, 7, 7, 128) to images (N, 28, 28, 1) in [0, 1]."""
    codes = keras.Input(shape=(7, 7, 128))
    x = layers.UpSampling2D(2)(codes)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.UpSampling2D(2)(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    return keras.Model(codes, layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x))
''',
    "build_autoencoder": _FUNCTIONAL_AUTOENCODER,
}

_STRIDED = {
    # stride-2 convolutions downsample; no pooling layer
    "build_encoder": '''
def build_encoder():
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, 7, 7, 128)."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
    return keras.Model(inputs, layers.Conv2D(128, 3, padding="same", activation="relu")(x))
''',
    "build_decoder": '''
def build_decoder():
    """Return a new Keras model mapping codes (N, 7, 7, 128) to images (N, 28, 28, 1) in [0, 1]."""
    codes = keras.Input(shape=(7, 7, 128))
    x = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(codes)
    x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
    return keras.Model(codes, layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x))
''',
    "build_autoencoder": _FUNCTIONAL_AUTOENCODER,
}

# The reference encoder, unchanged: only the decoder differs in _BATCHNORM_DECODER.
_REFERENCE_ENCODER = '''
def build_encoder():
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, 7, 7, 128)."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(2, padding="same")(x)
    return keras.Model(inputs, layers.Conv2D(128, 3, activation="relu", padding="same")(x))
'''

_BATCHNORM_DECODER = {
    "build_encoder": _REFERENCE_ENCODER,
    # the reference decoder with batch normalisation between each transposed convolution and its ReLU
    "build_decoder": '''
def build_decoder():
    """Return a new Keras model mapping codes (N, 7, 7, 128) to images (N, 28, 28, 1) in [0, 1]."""
    codes = keras.Input(shape=(7, 7, 128))
    x = layers.Conv2DTranspose(64, 3, strides=2, padding="same")(codes)
    x = layers.Activation("relu")(layers.BatchNormalization()(x))
    x = layers.Conv2DTranspose(32, 3, strides=2, padding="same")(x)
    x = layers.Activation("relu")(layers.BatchNormalization()(x))
    return keras.Model(codes, layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x))
''',
    "build_autoencoder": _FUNCTIONAL_AUTOENCODER,
}

_BATCHNORM = {
    # convolution without bias, batch normalisation, then ReLU, in the encoder and in the decoder
    "build_encoder": '''
def build_encoder():
    """Return a new Keras model mapping images (N, 28, 28, 1) to codes (N, 7, 7, 128)."""
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3, padding="same", use_bias=False), layers.BatchNormalization(), layers.ReLU(),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", use_bias=False), layers.BatchNormalization(), layers.ReLU(),
        layers.MaxPooling2D(2),
        layers.Conv2D(128, 3, padding="same", use_bias=False), layers.BatchNormalization(), layers.ReLU(),
    ])
''',
    "build_decoder": '''
def build_decoder():
    """Return a new Keras model mapping codes (N, 7, 7, 128) to images (N, 28, 28, 1) in [0, 1]."""
    return keras.Sequential([
        keras.Input(shape=(7, 7, 128)),
        layers.Conv2DTranspose(64, 3, strides=2, padding="same", use_bias=False), layers.BatchNormalization(),
        layers.ReLU(),
        layers.Conv2DTranspose(32, 3, strides=2, padding="same", use_bias=False), layers.BatchNormalization(),
        layers.ReLU(),
        layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ])
''',
    "build_autoencoder": _FUNCTIONAL_AUTOENCODER,
}

# Valid designs other than the reference: name -> the three model cells.
ALTERNATIVES: dict[str, dict[str, str]] = {
    "sequential": _SEQUENTIAL,  # keras.Sequential, strided encoder, UpSampling2D decoder, 16/48 filters
    "subclassed": _SUBCLASSED,  # subclassed keras.Model parts, 24/40 filters
    "upsampling": _UPSAMPLING,  # functional, UpSampling2D + Conv2D decoder
    "strided": _STRIDED,  # functional, stride-2 convolution encoder (no pooling)
    "batchnorm_decoder": _BATCHNORM_DECODER,  # the reference with batch normalisation in the decoder
    "batchnorm": _BATCHNORM,  # keras.Sequential, batch normalisation in the encoder and the decoder
}


def designs() -> dict[str, dict[str, str]]:
    """Every valid design: the reference (model cells of ``solutions/03_training``), then ``ALTERNATIVES``."""
    reference = reference_answers(REPO, "03_training")
    return {"reference": {cell: reference[cell] for cell in MODEL_CELLS}, **ALTERNATIVES}
