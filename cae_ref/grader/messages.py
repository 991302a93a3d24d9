"""What the checks tell a student, in English and Indonesian (issue 27).

A small dict per language, not gettext via Babel: the checks run inside the
student's kernel and are reloaded for every test cell, so the catalogue must be
plain Python that imports nothing and needs no compiled ``.mo`` files; the
messages are few, and keeping each English text beside its translation (one
pair per key) makes a missing translation impossible. ``message(key,
**fields)`` reads the language from ``CAE_LANGUAGE`` when the message is made,
so an Indonesian notebook's first cell ``%env CAE_LANGUAGE=id`` (or
``cae_ref.set_language("id")``) switches every later check. Past 200 lines:
this is the one catalogue, data only, both languages side by side. Indonesian
terms follow ``locale/id/terminology.csv``.
"""

from __future__ import annotations

import os
import string

LANGUAGE_ENV = "CAE_LANGUAGE"
LANGUAGES = ("en", "id")
DEFAULT_LANGUAGE = "en"

# key -> (English, Indonesian); both keep the same {fields}
_PAIRS: dict[str, tuple[str, str]] = {
    # cae_ref.grader.checks: the shared frame of every failure
    "expected_got": (
        "{what}: expected {expected}, got {got}",
        "{what}: seharusnya {expected}, yang didapat {got}",
    ),
    "hint": ("{message}. Hint: {hint}", "{message}. Petunjuk: {hint}"),
    "hidden": (
        "graded after submission; the visible checks above do not cover this",
        "dinilai setelah pengumpulan; pemeriksaan yang terlihat di atas tidak "
        "mencakup bagian ini",
    ),
    "visible_passed": (
        "visible checks passed",
        "pemeriksaan yang terlihat lulus",
    ),
    "an_int": ("an int", "sebuah int"),
    "hint_int": (
        "return a number, e.g. int(...)",
        "kembalikan sebuah angka, mis. int(...)",
    ),
    "no_audit": (
        "sys.audit was replaced: the grader cannot reach its own copies; this "
        "check scores 0",
        "sys.audit telah diganti: penilai tidak dapat menjangkau salinannya "
        "sendiri; pemeriksaan ini bernilai 0",
    ),
    "no_copies": (
        "the grader's own copies of NumPy and Keras are missing: this check "
        "scores 0",
        "salinan NumPy dan Keras milik penilai hilang: pemeriksaan ini "
        "bernilai 0",
    ),
    "untrusted": (
        "the grader cannot trust this measurement: {found} replaced or reached "
        "by the submission. Remove the code that replaces methods of the "
        "model, NumPy or Keras: this check scores 0",
        "penilai tidak dapat memercayai pengukuran ini: {found} diganti atau "
        "dijangkau oleh kiriman Anda. Hapus kode yang mengganti method model, "
        "NumPy, atau Keras: pemeriksaan ini bernilai 0",
    ),
    "replaced": (
        "your function replaced {names}. Solve the task without replacing "
        "functions of NumPy, Keras or cae_ref or methods of the model: this "
        "check scores 0",
        "fungsi Anda mengganti {names}. Selesaikan tugas ini tanpa mengganti "
        "fungsi NumPy, Keras, atau cae_ref maupun method model: pemeriksaan "
        "ini bernilai 0",
    ),
    "no_run": (
        "the grader recorded no run of {label}: run the notebook's cells in "
        "order (the cell that trains your model comes before this test; if it "
        "stopped with an error before it ran your function, fix that first)",
        "penilai tidak mencatat satu pun eksekusi {label}: jalankan sel-sel "
        "notebook secara berurutan (sel yang melatih model Anda ada sebelum "
        "tes ini; jika sel itu berhenti karena error sebelum menjalankan "
        "fungsi Anda, perbaiki itu dulu)",
    ),
    "an_error": ("an error", "sebuah error"),
    "not_finished": (
        "{what} did not finish: it stopped with {error}. Read the traceback "
        "of the cell that ran it (the last lines name the line of your code "
        "that raised), fix it, and rerun that cell and the tests",
        "{what} tidak selesai: berhenti dengan {error}. Baca traceback sel "
        "yang menjalankannya (baris terakhirnya menunjuk baris kode Anda yang "
        "memunculkan error), perbaiki, lalu jalankan ulang sel itu dan "
        "tes-tesnya",
    ),
    "vae_fit_shown": (
        "VAE's training (fit runs your train_step)",
        "pelatihan VAE (fit menjalankan train_step Anda)",
    ),
    "stopped_note": (
        "Your {shown} stopped with {error}. Fix the line of your code that "
        "the traceback above points to, then rerun this cell; the tests that "
        "need its result fail with this message until it runs.",
        "{shown} Anda berhenti dengan {error}. Perbaiki baris kode Anda yang "
        "ditunjuk traceback di atas, lalu jalankan ulang sel ini; tes yang "
        "memerlukan hasilnya gagal dengan pesan ini sampai sel itu berjalan.",
    ),
    "vae_part": (
        "the VAE's {part}",
        "{part} VAE",
    ),
    "vae_part_expected": (
        "the Keras model the notebook built",
        "model Keras yang dibangun notebook",
    ),
    "vae_part_hint": (
        "keep self.{part} = {part} in VAE.__init__: the grader measures the "
        "models it was given",
        "pertahankan self.{part} = {part} di VAE.__init__: penilai mengukur "
        "model yang diberikan kepadanya",
    ),
    # cae_ref.grader.checks: shape hints
    "enc_not_map": (
        "the code should keep the feature map (height, width, channels): is "
        "there a Flatten or Dense layer?",
        "kode harus mempertahankan feature map (tinggi, lebar, channel): "
        "adakah layer Flatten atau Dense?",
    ),
    "enc_28": (
        "the image is never downsampled: are the pooling layers (or stride-2 "
        "convolutions) missing?",
        "gambar tidak pernah di-downsampling: apakah layer pooling (atau "
        "konvolusi stride 2) tidak ada?",
    ),
    "enc_14": (
        "the image is downsampled once only: is the second pooling layer "
        "missing?",
        "gambar hanya di-downsampling sekali: apakah layer pooling kedua "
        "tidak ada?",
    ),
    "enc_small": (
        "the feature map shrinks too much: did you use padding='valid' (use "
        "'same'), or pool three times?",
        "feature map menyusut terlalu banyak: apakah Anda memakai "
        "padding='valid' (pakai 'same'), atau melakukan pooling tiga kali?",
    ),
    "enc_channels": (
        "the spatial size is right but there are {channels} channels: give "
        "the last convolution 128 filters",
        "ukuran spasialnya sudah benar tetapi ada {channels} channel: beri "
        "konvolusi terakhir 128 filter",
    ),
    "enc_trace": (
        "trace the shapes layer by layer with model.summary() and "
        "conv_output_size",
        "telusuri bentuknya layer demi layer dengan model.summary() dan "
        "conv_output_size",
    ),
    "dec_not_image": (
        "the output should be an image batch (N, 28, 28, 1): check the last "
        "layers",
        "keluaran harus berupa batch gambar (N, 28, 28, 1): periksa layer "
        "terakhir",
    ),
    "dec_7": (
        "the code is never upsampled: do the transposed convolutions have "
        "strides=2 (or UpSampling2D)?",
        "kode tidak pernah di-upsampling: apakah konvolusi transpos memakai "
        "strides=2 (atau UpSampling2D)?",
    ),
    "dec_14": (
        "the code is upsampled once only: two stride-2 steps take 7x7 to 28x28",
        "kode hanya di-upsampling sekali: dua langkah stride 2 membawa 7x7 "
        "menjadi 28x28",
    ),
    "dec_channels": (
        "the size is right but there are {channels} channels: the last layer "
        "needs exactly 1 filter",
        "ukurannya sudah benar tetapi ada {channels} channel: layer terakhir "
        "memerlukan tepat 1 filter",
    ),
    "dec_trace": (
        "trace the shapes layer by layer with model.summary() and "
        "conv_transpose_output_size",
        "telusuri bentuknya layer demi layer dengan model.summary() dan "
        "conv_transpose_output_size",
    ),
    # cae_ref.grader.grading (grade)
    "no_checks": (
        "the grader has no checks at {path}: hidden checks run only when the "
        "course grades the submission",
        "penilai tidak punya pemeriksaan di {path}: pemeriksaan tersembunyi "
        "hanya berjalan saat kiriman Anda dinilai",
    ),
    "no_grader_copies": (
        "the grader's own copies are missing: this check scores 0",
        "salinan milik penilai hilang: pemeriksaan ini bernilai 0",
    ),
    "foreign_exec": (
        "this cell was run by something other than the notebook's own kernel: "
        "the grader cannot trust it, so it scores 0",
        "sel ini dijalankan oleh sesuatu selain kernel notebook itu sendiri: "
        "penilai tidak dapat memercayainya, jadi nilainya 0",
    ),
    "namespace_replaced": (
        "the notebook's namespace was replaced: the grader cannot trust this "
        "cell, so it scores 0",
        "namespace notebook telah diganti: penilai tidak dapat memercayai sel "
        "ini, jadi nilainya 0",
    ),
    # cae_ref.grader.fit_record: what a graded training fitted on
    "only_grader_records": (
        "only the grader records training: this check scores 0",
        "hanya penilai yang mencatat pelatihan: pemeriksaan ini bernilai 0",
    ),
    "cause_inputs_are_targets": (
        "their inputs are target images (e.g. fit(x_train, x_train) where "
        "the inputs should be noisy)",
        "masukannya adalah gambar target (mis. fit(x_train, x_train) padahal "
        "masukannya seharusnya gambar dengan noise)",
    ),
    "cause_targets_are_inputs": (
        "their targets are input images (e.g. noisy targets where they "
        "should be clean)",
        "targetnya adalah gambar masukan (mis. target dengan noise padahal "
        "seharusnya gambar bersih)",
    ),
    "cause_other_images": (
        "they are images you were not given (other rows, augmented or "
        "re-noised copies?)",
        "itu gambar yang tidak diberikan kepada Anda (baris lain, salinan "
        "hasil augmentasi atau diberi noise ulang?)",
    ),
    "fit_never_called": (
        "model.fit was never called on the model you were given",
        "model.fit tidak pernah dipanggil pada model yang diberikan kepada "
        "Anda",
    ),
    "training_pairs": ("training pairs", "pasangan data latih"),
    "validation_pairs": ("validation pairs", "pasangan data validasi"),
    "fit_unreadable": (
        "no {what} the grader can read in fit: pass NumPy arrays (or a "
        "tf.data.Dataset of pairs) as {where}",
        "tidak ada {what} yang dapat dibaca penilai di fit: berikan array "
        "NumPy (atau tf.data.Dataset berisi pasangan) sebagai {where}",
    ),
    "fit_not_pairs": (
        "{count} {what} in fit, {bad} of them not a pair you were given: "
        "{cause}",
        "{count} {what} di fit, {bad} di antaranya bukan pasangan yang "
        "diberikan kepada Anda: {cause}",
    ),
    "fit_subset": (
        "fit saw {seen} of the {total} {what} you were given (at least "
        "{needed} needed): train on all of them, not a subset",
        "fit melihat {seen} dari {total} {what} yang diberikan kepada Anda "
        "(paling sedikit {needed} diperlukan): latih dengan semuanya, bukan "
        "sebagian",
    ),
    # exercise 01 (cae_ref/grader/graded/01_data.py, grading/hidden/01_data.py)
    "d_shape_50": (
        "shape of preprocess(50 images)",
        "bentuk preprocess(50 gambar)",
    ),
    "d_hint_axis": (
        "add a channel axis, e.g. images[..., np.newaxis]",
        "tambahkan sumbu channel, mis. images[..., np.newaxis]",
    ),
    "d_hint_float": (
        "convert with .astype(np.float32); float64 doubles the memory",
        "ubah dengan .astype(np.float32); float64 memakai memori dua kali "
        "lipat",
    ),
    "d_shape_ok": (
        "shape and dtype are right",
        "bentuk dan dtype sudah benar",
    ),
    "d_hint_255": ("divide by 255.0", "bagi dengan 255.0"),
    "d_hint_256": ("divide by 255, not 256", "bagi dengan 255, bukan 256"),
    "d_pixel": ("value for pixel {value}", "nilai untuk piksel {value}"),
    "d_range_ok": (
        "values are scaled to [0, 1]",
        "nilai sudah diskalakan ke [0, 1]",
    ),
    "d_modified": (
        "preprocess modified its input array: work on a copy",
        "preprocess mengubah array masukannya: bekerjalah pada salinan",
    ),
    "d_mismatch": (
        "preprocess does not match the course's scaling on test images: check "
        "the dtype and the divisor",
        "preprocess tidak sama dengan penskalaan kursus pada gambar data uji: "
        "periksa dtype dan pembaginya",
    ),
    "d_dark": (
        "dark images are scaled differently: divide by the fixed 255, not by "
        "images.max()",
        "gambar gelap diskalakan secara berbeda: bagi dengan angka tetap 255, "
        "bukan dengan images.max()",
    ),
    "d_one": (
        "a batch of one image has the wrong shape: do not squeeze the batch "
        "axis",
        "batch berisi satu gambar memiliki bentuk yang salah: jangan hapus "
        "sumbu batch",
    ),
    "d_float_input": (
        "preprocess accepted float input: raise TypeError for a dtype other "
        "than uint8",
        "preprocess menerima masukan float: munculkan TypeError untuk dtype "
        "selain uint8",
    ),
    # exercise 02 (cae_ref/grader/graded/02_architecture.py)
    "a_cases_ok": (
        "all visible cases pass",
        "semua kasus yang terlihat lulus",
    ),
    "a_code_shape": (
        "code shape for 8 images",
        "bentuk kode untuk 8 gambar",
    ),
    "a_nan_codes": (
        "the codes contain NaN or infinity",
        "kode mengandung NaN atau tak hingga",
    ),
    "a_enc_ok": (
        "the encoder's output shape is right",
        "bentuk keluaran encoder sudah benar",
    ),
    "a_conv_count": (
        "number of convolutional layers",
        "jumlah layer konvolusi",
    ),
    "a_at_least_3": ("at least 3", "paling sedikit 3"),
    "a_hint_stack": (
        "stack Conv2D layers (32, 64, 128 filters)",
        "susun layer Conv2D (32, 64, 128 filter)",
    ),
    "a_conv_layers": (
        "{count} convolutional layers",
        "{count} layer konvolusi",
    ),
    "a_image_shape": (
        "image shape for 8 codes",
        "bentuk gambar untuk 8 kode",
    ),
    "a_layer_count": ("number of layers", "jumlah layer"),
    "a_dec_ok": (
        "the decoder's output shape is right",
        "bentuk keluaran decoder sudah benar",
    ),
    "a_range": (
        "output range for codes of scale {scale}",
        "rentang keluaran untuk kode berskala {scale}",
    ),
    "a_in_unit": ("values in [0, 1]", "nilai dalam [0, 1]"),
    "a_hint_sigmoid": (
        "end with a sigmoid activation (a linear or ReLU output is unbounded)",
        "akhiri dengan aktivasi sigmoid (keluaran linear atau ReLU tidak "
        "terbatas)",
    ),
    "a_range_ok": (
        "outputs stay in [0, 1]",
        "keluaran tetap dalam [0, 1]",
    ),
    "shape": ("shape", "bentuk"),
    "size": ("size", "ukuran"),
    "a_recon_shape": ("reconstruction shape", "bentuk rekonstruksi"),
    "a_ae_ok": (
        "the autoencoder reconstructs images of the right shape",
        "autoencoder merekonstruksi gambar dengan bentuk yang benar",
    ),
    # hidden checks of exercise 02 (grading/hidden/02_architecture.py)
    "h_conv_wrong": (
        "conv_output_size is wrong for some sizes, kernels and strides with "
        "padding={padding} (tried sizes 1 to 32): check the rounding of the "
        "division",
        "conv_output_size salah untuk beberapa ukuran, kernel, dan stride "
        "dengan padding={padding} (dicoba ukuran 1 sampai 32): periksa "
        "pembulatan pembagiannya",
    ),
    "h_conv_valueerror": (
        "conv_output_size returned a size for a kernel larger than the input "
        "with 'valid' padding: raise ValueError",
        "conv_output_size mengembalikan ukuran untuk kernel yang lebih besar "
        "daripada masukan dengan padding 'valid': munculkan ValueError",
    ),
    "h_transpose_wrong": (
        "conv_transpose_output_size is wrong for some cases with "
        "padding={padding} and output_padding={output_padding}: check the "
        "formula for that case",
        "conv_transpose_output_size salah untuk beberapa kasus dengan "
        "padding={padding} dan output_padding={output_padding}: periksa rumus "
        "untuk kasus itu",
    ),
    "h_enc_one": (
        "the encoder fails for a batch of one image: avoid a fixed batch size",
        "encoder gagal untuk batch berisi satu gambar: hindari ukuran batch "
        "yang tetap",
    ),
    "h_enc_new": (
        "build_encoder must build a new model on every call",
        "build_encoder harus membangun model baru pada setiap pemanggilan",
    ),
    "h_dec_one": (
        "the decoder fails for a batch of one code: avoid a fixed batch size",
        "decoder gagal untuk batch berisi satu kode: hindari ukuran batch "
        "yang tetap",
    ),
    "h_dec_range": (
        "outputs leave [0, 1] for large codes: end with a sigmoid activation",
        "keluaran keluar dari [0, 1] untuk kode yang besar: akhiri dengan "
        "aktivasi sigmoid",
    ),
    "h_ae_chain": (
        "the autoencoder does not use the given encoder and decoder: chain "
        "decoder(encoder(images))",
        "autoencoder tidak memakai encoder dan decoder yang diberikan: "
        "rangkai decoder(encoder(images))",
    ),
    "h_ae_small": (
        "build_autoencoder fails for an encoder with a 16-number code: do not "
        "fix the code shape",
        "build_autoencoder gagal untuk encoder dengan kode 16 angka: jangan "
        "tetapkan bentuk kode",
    ),
    # exercises 03 to 05 (cae_ref/grader/graded/, grading/hidden/)
    "t_fit_return": (
        "{function} must call model.fit on the model it is given and return"
        " the History that fit returns",
        "{function} harus memanggil model.fit pada model yang diberikan "
        "kepadanya dan mengembalikan History yang dikembalikan fit",
    ),
    "t_epochs": (
        "number of epochs fit ran",
        "jumlah epoch yang dijalankan fit",
    ),
    "t_hint_epochs": (
        "pass epochs=epochs to fit",
        "berikan epochs=epochs ke fit",
    ),
    "t_no_val_loss": (
        "no validation loss in the epochs fit ran: pass {validation} to fit",
        "tidak ada loss validasi pada epoch yang dijalankan fit: berikan "
        "{validation} ke fit",
    ),
    "t_loss_not_finite": (
        "the training loss is not finite: check the loss and the learning "
        "rate",
        "loss pelatihan tidak berhingga: periksa loss dan learning rate-nya",
    ),
    "t_history_ok": (
        "history is complete",
        "history sudah lengkap",
    ),
    "t_compiled_none": (
        "compile_autoencoder returned None: end with `return model`",
        "compile_autoencoder mengembalikan None: akhiri dengan `return model`",
    ),
    "t_not_compiled": (
        "the model is not compiled: call model.compile(...)",
        "model belum dikompilasi: panggil model.compile(...)",
    ),
    "t_compiled_ok": (
        "the model is compiled",
        "model sudah dikompilasi",
    ),
    "t_mse_print": (
        "held-out MSE {mse} (must be at most {limit})",
        "MSE pada data yang disisihkan {mse} (harus paling banyak {limit})",
    ),
    "t_mse": (
        "held-out MSE",
        "MSE pada data yang disisihkan",
    ),
    "at_most": (
        "at most {limit}",
        "paling banyak {limit}",
    ),
    "at_least": (
        "at least {limit}",
        "paling sedikit {limit}",
    ),
    "t_hint_mse": (
        "does the loss go down? Check the optimiser and its learning rate, "
        "that the target is x_train itself, and that you train on x_train "
        "(not x_val) for all epochs",
        "apakah loss-nya turun? Periksa optimiser dan learning rate-nya, "
        "bahwa targetnya adalah x_train itu sendiri, dan bahwa Anda melatih"
        " dengan x_train (bukan x_val) untuk semua epoch",
    ),
    "t_h_loss_not_finite": (
        "the loss is not finite on one batch: check the loss function",
        "loss tidak berhingga pada satu batch: periksa fungsi loss",
    ),
    "t_h_loss_flat": (
        "the loss does not go down when the compiled model trains on one "
        "batch: check the optimiser, its learning rate and the loss",
        "loss tidak turun saat model yang dikompilasi dilatih pada satu "
        "batch: periksa optimiser, learning rate-nya, dan loss-nya",
    ),
    "t_h_val_pairs": (
        "the validation pairs are not {pairs}: {problem}",
        "pasangan data validasi bukan {pairs}: {problem}",
    ),
    "t_h_history_val": (
        "return the History that fit returns, with its validation loss",
        "kembalikan History yang dikembalikan fit, lengkap dengan loss "
        "validasinya",
    ),
    "l_encode_shape": (
        "shape of encode(encoder, 100 images)",
        "bentuk encode(encoder, 100 gambar)",
    ),
    "l_hint_flatten": (
        "flatten each code with .reshape(len(images), -1), and use the "
        "encoder, not the autoencoder",
        "ratakan setiap kode dengan .reshape(len(images), -1), dan pakai "
        "encoder, bukan autoencoder",
    ),
    "l_not_codes": (
        "the rows are not the encoder's codes of these images, in order",
        "baris-barisnya bukan kode encoder untuk gambar-gambar ini, secara "
        "berurutan",
    ),
    "l_codes_ok": (
        "codes have the right shape and values",
        "bentuk dan nilai kode sudah benar",
    ),
    "l_project_shape": (
        "shape of project_2d(200 codes)",
        "bentuk project_2d(200 kode)",
    ),
    "l_project_nan": (
        "the projection contains NaN or infinity",
        "proyeksi mengandung NaN atau tak hingga",
    ),
    "l_project_constant": (
        "one of the two dimensions is constant",
        "salah satu dari kedua dimensi bernilai konstan",
    ),
    "l_project_ok": (
        "the projection looks right",
        "proyeksinya tampak benar",
    ),
    "l_score_print": (
        "separation score {value} (must be at least {limit})",
        "skor pemisahan {value} (harus paling sedikit {limit})",
    ),
    "l_score": (
        "score",
        "skor",
    ),
    "l_accuracy": (
        "an accuracy between 0 and 1",
        "akurasi antara 0 dan 1",
    ),
    "l_separation": (
        "separation score",
        "skor pemisahan",
    ),
    "l_hint_accuracy": (
        "return the accuracy (not the error) on the test rows of a "
        "classifier fitted on the training rows",
        "kembalikan akurasi (bukan error) pada baris data uji dari "
        "classifier yang dilatih pada baris data latih",
    ),
    "l_h_encode_small": (
        "encode fails for an encoder with a 16-number code: reshape to "
        "(len(images), -1), not a fixed size",
        "encode gagal untuk encoder dengan kode 16 angka: ubah bentuk "
        "menjadi (len(images), -1), bukan ukuran tetap",
    ),
    "l_h_project_pixels": (
        "project_2d fails on raw pixels (3 rows of 784 numbers each): do "
        "not assume a code size",
        "project_2d gagal pada piksel mentah (3 baris masing-masing 784 "
        "angka): jangan menganggap ukuran kode tertentu",
    ),
    "l_h_shuffled": (
        "with shuffled training labels the score stays high: score on the "
        "test rows, never on the rows the classifier was fitted on",
        "dengan label data latih yang diacak skornya tetap tinggi: hitung "
        "skor pada baris data uji, jangan pada baris tempat classifier "
        "dilatih",
    ),
    "n_hint_float": (
        "end with .astype(np.float32)",
        "akhiri dengan .astype(np.float32)",
    ),
    "n_range": (
        "value range",
        "rentang nilai",
    ),
    "n_hint_clip": (
        "clip with np.clip(noisy, 0.0, 1.0)",
        "potong dengan np.clip(noisy, 0.0, 1.0)",
    ),
    "n_modified": (
        "add_gaussian_noise modified its input: build a new array",
        "add_gaussian_noise mengubah masukannya: buat array baru",
    ),
    "n_same_seed": (
        "the same seed gave different noise: draw from "
        "np.random.default_rng(seed)",
        "seed yang sama menghasilkan noise yang berbeda: ambil dari "
        "np.random.default_rng(seed)",
    ),
    "n_other_seed": (
        "different seeds gave the same noise: use the seed argument",
        "seed yang berbeda menghasilkan noise yang sama: pakai argumen seed",
    ),
    "n_noise_ok": (
        "noise is clipped, float32 and reproducible",
        "noise sudah dipotong, float32, dan dapat direproduksi",
    ),
    "n_psnr_case": (
        "psnr for an error of {offset} on every pixel",
        "psnr untuk error {offset} pada setiap piksel",
    ),
    "n_hint_psnr": (
        "use 10 * log10(1 / MSE) with pixels in [0, 1] (peak 1, not 255)",
        "pakai 10 * log10(1 / MSE) dengan piksel dalam [0, 1] (puncak 1, "
        "bukan 255)",
    ),
    "n_psnr_ok": (
        "psnr gives the textbook values",
        "psnr memberikan nilai sesuai buku teks",
    ),
    "n_pairs_expected": (
        "(x_train_noisy, x_train): noisy inputs, clean targets",
        "(x_train_noisy, x_train): masukan dengan noise, target gambar bersih",
    ),
    "n_hint_pairs": (
        "a denoiser learns from noisy inputs: fit(x_train_noisy, x_train, "
        "...)",
        "denoiser belajar dari masukan dengan noise: fit(x_train_noisy, "
        "x_train, ...)",
    ),
    "n_gain_print": (
        "PSNR gain {gain} dB (must be at least {limit} dB)",
        "kenaikan PSNR {gain} dB (harus paling sedikit {limit} dB)",
    ),
    "n_gain": (
        "PSNR gain on held-out images",
        "kenaikan PSNR pada gambar yang disisihkan",
    ),
    "n_hint_gain": (
        "train on (noisy input, clean target) pairs: fit(x_train_noisy, "
        "x_train, ...)",
        "latih dengan pasangan (masukan dengan noise, target gambar "
        "bersih): fit(x_train_noisy, x_train, ...)",
    ),
    "n_h_centred": (
        "the noise is not centred on 0: add zero-mean noise",
        "noise tidak berpusat di 0: tambahkan noise dengan rata-rata nol",
    ),
    "n_h_std": (
        "the noise's standard deviation is not noise_factor: scale standard"
        " normal noise by noise_factor",
        "simpangan baku noise bukan noise_factor: skalakan noise normal "
        "standar dengan noise_factor",
    ),
    "n_h_gaussian": (
        "the noise does not look Gaussian: draw it with rng.standard_normal",
        "noise tidak tampak Gaussian: ambil dengan rng.standard_normal",
    ),
    "n_h_zero": (
        "noise_factor 0 must leave the images unchanged",
        "noise_factor 0 harus membiarkan gambar tidak berubah",
    ),
    "n_h_psnr_mean": (
        "psnr on noisy test images differs from the course's: average the "
        "per-image PSNR over images",
        "psnr pada gambar data uji dengan noise berbeda dari milik kursus: "
        "rata-ratakan PSNR per gambar atas semua gambar",
    ),
    "n_h_psnr_inf": (
        "psnr of identical images must be inf",
        "psnr untuk gambar yang identik harus inf",
    ),
    # exercise 06 (cae_ref/grader/graded/, grading/hidden/)
    "b_no_run": (
        "the grader recorded no run of psnr_by_size: run the notebook's "
        "cells in order, and read the error of the cell that compares the "
        "sizes",
        "penilai tidak mencatat satu pun eksekusi psnr_by_size: jalankan "
        "sel-sel notebook secara berurutan, dan baca error pada sel yang "
        "membandingkan ukuran-ukurannya",
    ),
    "b_hint_feature_map": (
        "the code is still a feature map: end the encoder with Flatten() "
        "and Dense(latent_dim)",
        "kodenya masih berupa feature map: akhiri encoder dengan Flatten() "
        "dan Dense(latent_dim)",
    ),
    "b_hint_units": (
        "the last layer must have latent_dim units: Dense(latent_dim), not "
        "a fixed number",
        "layer terakhir harus memiliki latent_dim unit: Dense(latent_dim), "
        "bukan angka tetap",
    ),
    "b_encoder_output": (
        "encoder output for latent_dim={latent_dim}",
        "keluaran encoder untuk latent_dim={latent_dim}",
    ),
    "b_encoder_ok": (
        "the encoder gives codes of latent_dim numbers",
        "encoder memberikan kode berisi latent_dim angka",
    ),
    "b_smallest": (
        "smallest number in 50 codes",
        "angka terkecil dalam 50 kode",
    ),
    "b_negative": (
        "some negative numbers (a linear code)",
        "beberapa angka negatif (kode linear)",
    ),
    "b_hint_linear": (
        "leave Dense(latent_dim) without activation: relu, sigmoid or "
        "softmax squeeze the code, and a squeezed code holds less (softmax "
        "turns 2 numbers into 1)",
        "biarkan Dense(latent_dim) tanpa aktivasi: relu, sigmoid, atau "
        "softmax memampatkan kode, dan kode yang dimampatkan memuat lebih "
        "sedikit (softmax mengubah 2 angka menjadi 1)",
    ),
    "b_linear_ok": (
        "the code is linear",
        "kodenya linear",
    ),
    "b_decoder_for": (
        "decoder for latent_dim={latent_dim}",
        "decoder untuk latent_dim={latent_dim}",
    ),
    "b_accept": (
        "to accept codes of shape {shape}",
        "menerima kode berbentuk {shape}",
    ),
    "b_hint_input": (
        "the decoder's input must be keras.Input(shape=(latent_dim,)), not "
        "a fixed size",
        "masukan decoder harus keras.Input(shape=(latent_dim,)), bukan "
        "ukuran tetap",
    ),
    "b_decoder_output": (
        "decoder output for latent_dim={latent_dim}",
        "keluaran decoder untuk latent_dim={latent_dim}",
    ),
    "b_hint_decoder": (
        "start with keras.Input(shape=(latent_dim,)), Dense(7 * 7 * 128) "
        "and Reshape((7, 7, 128)), then upsample twice and end with "
        "Conv2D(1, ...)",
        "mulailah dengan keras.Input(shape=(latent_dim,)), Dense(7 * 7 * "
        "128), dan Reshape((7, 7, 128)), lalu lakukan upsampling dua kali "
        "dan akhiri dengan Conv2D(1, ...)",
    ),
    "b_decoder_ok": (
        "the decoder gives 28x28x1 images",
        "decoder memberikan gambar 28x28x1",
    ),
    "b_range": (
        "decoder output range",
        "rentang keluaran decoder",
    ),
    "b_hint_sigmoid": (
        "give the last layer activation='sigmoid'",
        "beri layer terakhir activation='sigmoid'",
    ),
    "b_range_ok": (
        "pixels in [0, 1]",
        "piksel dalam [0, 1]",
    ),
    "b_return_type": (
        "return type",
        "tipe nilai kembalian",
    ),
    "b_keys": (
        "keys",
        "kunci",
    ),
    "b_hint_keys": (
        "one entry per latent_dim, keyed by the size itself",
        "satu entri per latent_dim, dengan ukuran itu sendiri sebagai "
        "kuncinya",
    ),
    "b_psnr_for": (
        "PSNR for latent_dim={latent_dim}",
        "PSNR untuk latent_dim={latent_dim}",
    ),
    "b_plausible": (
        "a value between 5 and 40 dB",
        "nilai antara 5 dan 40 dB",
    ),
    "b_hint_psnr": (
        "10 * log10(1 / MSE) with pixels in [0, 1] (peak 1, not 255), "
        "averaged over the images",
        "10 * log10(1 / MSE) dengan piksel dalam [0, 1] (puncak 1, bukan "
        "255), dirata-ratakan atas semua gambar",
    ),
    "b_psnr_ok": (
        "one plausible PSNR per size",
        "satu PSNR yang masuk akal per ukuran",
    ),
    "b_sizes": (
        "sizes trained",
        "ukuran yang dilatih",
    ),
    "b_hint_sizes": (
        "train one model per size with make_autoencoder",
        "latih satu model per ukuran dengan make_autoencoder",
    ),
    "b_gain_print": (
        "PSNR {small_psnr} dB at latent_dim={small}, {large_psnr} dB at "
        "{large}: gain {gain} dB (must be at least {limit} dB)",
        "PSNR {small_psnr} dB pada latent_dim={small}, {large_psnr} dB pada"
        " {large}: kenaikan {gain} dB (harus paling sedikit {limit} dB)",
    ),
    "b_gain": (
        "PSNR gain from latent_dim={small} to {large}",
        "kenaikan PSNR dari latent_dim={small} ke {large}",
    ),
    "b_hint_gain": (
        "compile each model (Adam, binary cross-entropy) and fit it on "
        "(x_train, x_train) for the given epochs; a code squeezed by an "
        "activation (relu, softmax, sigmoid) on the Dense(latent_dim) layer"
        " holds less",
        "kompilasi setiap model (Adam, binary cross-entropy) dan latih "
        "dengan fit pada (x_train, x_train) selama epoch yang diberikan; "
        "kode yang dimampatkan oleh aktivasi (relu, softmax, sigmoid) pada "
        "layer Dense(latent_dim) memuat lebih sedikit",
    ),
    "b_h_encoder_any": (
        "the encoder fails for a code size the notebook never trains: use "
        "latent_dim, not a constant",
        "encoder gagal untuk ukuran kode yang tidak pernah dilatih "
        "notebook: pakai latent_dim, bukan konstanta",
    ),
    "b_h_decoder_any": (
        "the decoder fails for a code size the notebook never trains: use "
        "latent_dim, not a constant",
        "decoder gagal untuk ukuran kode yang tidak pernah dilatih "
        "notebook: pakai latent_dim, bukan konstanta",
    ),
    "b_h_every_size": (
        "psnr_by_size did not train and measure every size: one model per "
        "size, one entry per size",
        "psnr_by_size tidak melatih dan mengukur setiap ukuran: satu model "
        "per ukuran, satu entri per ukuran",
    ),
    "b_h_own_psnr": (
        "a returned PSNR is not the PSNR of the model trained for that size"
        " on x_test: store each size's own PSNR under its own key, measured"
        " on x_test",
        "sebuah PSNR yang dikembalikan bukan PSNR model yang dilatih untuk "
        "ukuran itu pada x_test: simpan PSNR milik setiap ukuran di bawah "
        "kuncinya sendiri, diukur pada x_test",
    ),
    # cae_ref.grader.student_model: whose model a notebook trains (the fallback note)
    "s_not_written": (
        "{name} is not written yet (it raises NotImplementedError)",
        "{name} belum ditulis (fungsi itu memunculkan NotImplementedError)",
    ),
    "s_raised": (
        "{name} raised {error}",
        "{name} memunculkan {error}",
    ),
    "s_not_model": (
        "{name} returned {type}, not a Keras model",
        "{name} mengembalikan {type}, bukan model Keras",
    ),
    "s_your_encoder": (
        "your encoder",
        "encoder Anda",
    ),
    "s_your_decoder": (
        "your decoder",
        "decoder Anda",
    ),
    "s_your_autoencoder": (
        "your autoencoder",
        "autoencoder Anda",
    ),
    "s_fails_on": (
        "{what} fails on a batch {shape}: {error}",
        "{what} gagal pada batch {shape}: {error}",
    ),
    "s_maps": (
        "{what} maps {inputs} to {outputs}, expected {shape}",
        "{what} memetakan {inputs} ke {outputs}, seharusnya {shape}",
    ),
    "s_nan": (
        "{what} outputs NaN or infinity",
        "{what} mengeluarkan NaN atau tak hingga",
    ),
    "s_range": (
        "your decoder's outputs leave [0, 1]: end it with a sigmoid "
        "activation",
        "keluaran decoder Anda keluar dari [0, 1]: akhiri dengan aktivasi "
        "sigmoid",
    ),
    "s_fallback": (
        "{problem}.\nThis notebook trains the course's model instead, so the"
        " later parts stay gradable; fix your code and run these cells "
        "again.",
        "{problem}.\nNotebook ini melatih model kursus sebagai gantinya, "
        "agar bagian-bagian berikutnya tetap dapat dinilai; perbaiki kode "
        "Anda dan jalankan lagi sel-sel ini.",
    ),
    "s_own": (
        "Your own encoder and decoder are used.",
        "Encoder dan decoder Anda sendiri yang dipakai.",
    ),
    "s_not_chained": (
        "build_autoencoder does not run the given encoder, then the given "
        "decoder",
        "build_autoencoder tidak menjalankan encoder yang diberikan, lalu "
        "decoder yang diberikan",
    ),
    "s_own_all": (
        "Your own encoder, decoder and autoencoder are used.",
        "Encoder, decoder, dan autoencoder Anda sendiri yang dipakai.",
    ),
    "s_joined": (
        "{problem}.\nNo harm done: your encoder and decoder are joined the "
        "course's way instead.",
        "{problem}.\nTidak masalah: encoder dan decoder Anda dirangkai "
        "dengan cara kursus sebagai gantinya.",
    ),
    "s_size_fallback": (
        "latent_dim={latent_dim}: {problem}.\nThe course's model of this "
        "size is used instead.",
        "latent_dim={latent_dim}: {problem}.\nModel kursus dengan ukuran ini"
        " yang dipakai sebagai gantinya.",
    ),
    "s_size_own": (
        "latent_dim={latent_dim}: your own encoder and decoder are used.",
        "latent_dim={latent_dim}: encoder dan decoder Anda sendiri yang "
        "dipakai.",
    ),
    # exercise 07 (cae_ref/grader/graded/, grading/hidden/)
    "v_shape_z": (
        "shape of z",
        "bentuk z",
    ),
    "v_hint_row": (
        "return one code per row of z_mean",
        "kembalikan satu kode per baris z_mean",
    ),
    "v_mean_z": (
        "mean of z",
        "rata-rata z",
    ),
    "v_hint_mean": (
        "z = z_mean + (standard deviation) * eps",
        "z = z_mean + (simpangan baku) * eps",
    ),
    "v_hint_std": (
        "exp(z_log_var / 2) is the standard deviation: z = z_mean + "
        "ops.exp(0.5 * z_log_var) * eps",
        "exp(z_log_var / 2) adalah simpangan bakunya: z = z_mean + "
        "ops.exp(0.5 * z_log_var) * eps",
    ),
    "v_hint_constant": (
        "z does not vary: draw eps ~ N(0, I) with keras.random.normal and "
        "add exp(0.5 * z_log_var) * eps",
        "z tidak bervariasi: ambil eps ~ N(0, I) dengan keras.random.normal"
        " dan tambahkan exp(0.5 * z_log_var) * eps",
    ),
    "v_var_z": (
        "variance of z",
        "varians z",
    ),
    "v_same_z": (
        "two calls drew the same z: draw new eps inside call, from "
        "self.seed_generator",
        "dua pemanggilan menghasilkan z yang sama: ambil eps baru di dalam "
        "call, dari self.seed_generator",
    ),
    "v_seeded": (
        "two layers made with the same seed drew different z: make "
        "keras.random.SeedGenerator(seed) in __init__ and pass "
        "seed=self.seed_generator to keras.random.normal",
        "dua layer yang dibuat dengan seed yang sama menghasilkan z yang "
        "berbeda: buat keras.random.SeedGenerator(seed) di __init__ dan "
        "berikan seed=self.seed_generator ke keras.random.normal",
    ),
    "v_hint_ops": (
        "compute z from the inputs with Keras ops (no NumPy, no "
        "stop_gradient): only eps is random",
        "hitung z dari masukan dengan Keras ops (tanpa NumPy, tanpa "
        "stop_gradient): hanya eps yang acak",
    ),
    "v_gradients": (
        "gradients of z",
        "gradien z",
    ),
    "v_gradients_for": (
        "gradients for z_mean and z_log_var",
        "gradien untuk z_mean dan z_log_var",
    ),
    "v_one": (
        "1 everywhere",
        "1 di semua tempat",
    ),
    "v_hint_eps": (
        "z = z_mean + ops.exp(0.5 * z_log_var) * eps, with eps drawn "
        "independently of the inputs",
        "z = z_mean + ops.exp(0.5 * z_log_var) * eps, dengan eps diambil "
        "tanpa bergantung pada masukan",
    ),
    "v_trick_ok": (
        "gradients reach z_mean and z_log_var: the reparameterisation trick"
        " works",
        "gradien mencapai z_mean dan z_log_var: trik reparameterisasi "
        "berjalan",
    ),
    "v_hint_sum_latent": (
        "sum over the latent axis: ops.sum(..., axis=-1)",
        "jumlahkan sepanjang sumbu laten: ops.sum(..., axis=-1)",
    ),
    "v_hint_kl": (
        "KL = -0.5 * sum(1 + z_log_var - z_mean**2 - exp(z_log_var)) over "
        "the latent axis",
        "KL = -0.5 * sum(1 + z_log_var - z_mean**2 - exp(z_log_var)) "
        "sepanjang sumbu laten",
    ),
    "v_hint_sign": (
        "the sign is flipped: a KL divergence is never negative",
        "tandanya terbalik: divergensi KL tidak pernah negatif",
    ),
    "v_hint_average": (
        "sum over the latent dimensions, do not average them",
        "jumlahkan atas dimensi laten, jangan dirata-ratakan",
    ),
    "v_kl_per": (
        "KL per example",
        "KL per contoh",
    ),
    "v_kl_ok": (
        "the closed form matches the numerical integral:",
        "bentuk tertutup sama dengan integral numeriknya:",
    ),
    "v_hint_per_image": (
        "one value per image: sum over pixels only",
        "satu nilai per gambar: jumlahkan atas piksel saja",
    ),
    "v_hint_bce": (
        "sum the binary cross-entropy over the 784 pixels of each image",
        "jumlahkan binary cross-entropy atas 784 piksel setiap gambar",
    ),
    "v_hint_averaged": (
        "you averaged over the pixels: sum them (ops.sum(..., axis=(1, 2)))",
        "Anda merata-ratakan atas piksel: jumlahkan (ops.sum(..., axis=(1, "
        "2)))",
    ),
    "v_elbo_grey": (
        "negative ELBO for reconstructions of 0.5 and the prior's Gaussian",
        "ELBO negatif untuk rekonstruksi bernilai 0.5 dan Gaussian prior",
    ),
    "v_increase": (
        "increase when z_mean moves from 0 to 1 in both dimensions",
        "kenaikan saat z_mean bergeser dari 0 ke 1 pada kedua dimensi",
    ),
    "v_hint_add_kl": (
        "add kl_divergence(z_mean, z_log_var) to the reconstruction term",
        "tambahkan kl_divergence(z_mean, z_log_var) ke suku rekonstruksi",
    ),
    "v_no_training": (
        "the grader recorded no training of your VAE: run the notebook's "
        "cells in order",
        "penilai tidak mencatat pelatihan VAE Anda: jalankan sel-sel "
        "notebook secara berurutan",
    ),
    "v_training_above": (
        "the training above (fit runs your train_step)",
        "pelatihan di atas (fit menjalankan train_step Anda)",
    ),
    "v_not_own_fit": (
        "the VAE was not trained by its own fit: keep the run cell as it is",
        "VAE tidak dilatih dengan fit miliknya sendiri: biarkan sel run apa"
        " adanya",
    ),
    "v_hint_metrics": (
        "return {{m.name: m.result() for m in self.metrics}}",
        "kembalikan {{m.name: m.result() for m in self.metrics}}",
    ),
    "v_loss_per_epoch": (
        "loss per epoch",
        "loss setiap epoch",
    ),
    "v_hint_tracker": (
        "update the reconstruction tracker with loss - KL",
        "perbarui tracker rekonstruksi dengan loss - KL",
    ),
    "v_at_least_0": (
        "at least 0",
        "paling sedikit 0",
    ),
    "v_hint_kl_sign": (
        "a KL divergence is never negative: check its sign",
        "divergensi KL tidak pernah negatif: periksa tandanya",
    ),
    "v_last_loss": (
        "last epoch's loss in history",
        "loss epoch terakhir di history",
    ),
    "v_hint_trackers": (
        "update the trackers with the loss computed from each batch, the "
        "loss you minimise",
        "perbarui tracker dengan loss yang dihitung dari setiap batch, loss"
        " yang Anda minimalkan",
    ),
    "v_history_ok": (
        "history is complete, consistent and matches the trained model",
        "history lengkap, konsisten, dan sesuai dengan model yang dilatih",
    ),
    "v_improvement": (
        "improvement of the held-out ELBO (nats per image)",
        "perbaikan ELBO pada data yang disisihkan (nat per gambar)",
    ),
    "v_hint_minimise": (
        "minimise the batch mean of negative_elbo (pixels summed, KL added "
        "with a + sign), and apply the gradients",
        "minimalkan rata-rata batch dari negative_elbo (piksel dijumlahkan,"
        " KL ditambahkan dengan tanda +), lalu terapkan gradiennya",
    ),
    "v_pixel_range": (
        "pixel range",
        "rentang piksel",
    ),
    "v_hint_decoder": (
        "return what the decoder outputs",
        "kembalikan apa yang dikeluarkan decoder",
    ),
    "v_same_seed": (
        "the same seed gave other images: draw the codes from "
        "np.random.default_rng(seed)",
        "seed yang sama menghasilkan gambar lain: ambil kode dari "
        "np.random.default_rng(seed)",
    ),
    "v_other_seed": (
        "different seeds gave the same images: use the seed argument",
        "seed yang berbeda menghasilkan gambar yang sama: pakai argumen seed",
    ),
    "v_prior_ok": (
        "prior samples are images in [0, 1], reproducible by seed",
        "sampel prior adalah gambar dalam [0, 1], dapat direproduksi dengan"
        " seed",
    ),
    "v_sampling_ok": (
        "z has mean {mean} and variance {variance}; seeded draws are "
        "reproducible",
        "z memiliki rata-rata {mean} dan varians {variance}; pengambilan "
        "dengan seed dapat direproduksi",
    ),
    "v_with_kl": (
        "{added} (the KL term)",
        "{added} (suku KL)",
    ),
    "v_elbo_ok": (
        "negative ELBO {elbo} = 784 log 2, and the KL term adds {kl}",
        "ELBO negatif {elbo} = 784 log 2, dan suku KL menambahkan {kl}",
    ),
    "v_values_in": (
        "{key} values in the epochs fit ran",
        "nilai {key} pada epoch yang dijalankan fit",
    ),
    "v_within": (
        "within {share} of {scored}, your negative_elbo of the trained model",
        "dalam {share} dari {scored}, negative_elbo Anda untuk model yang "
        "dilatih",
    ),
    "v_gain_print": (
        "negative ELBO {before} -> {after}: the ELBO improved by {gain} "
        "nats per image (at least {limit})",
        "ELBO negatif {before} -> {after}: ELBO membaik sebesar {gain} nat "
        "per gambar (paling sedikit {limit})",
    ),
    "v_h_kl_8": (
        "kl_divergence is wrong for Gaussians in 8 dimensions: sum over "
        "every latent dimension, whatever their number",
        "kl_divergence salah untuk Gaussian berdimensi 8: jumlahkan atas "
        "setiap dimensi laten, berapa pun jumlahnya",
    ),
    "v_h_elbo_real": (
        "negative_elbo is wrong for real test images and their noisy "
        "reconstructions: sum the binary cross-entropy over the pixels of "
        "each image",
        "negative_elbo salah untuk gambar data uji sungguhan dan "
        "rekonstruksinya yang ber-noise: jumlahkan binary cross-entropy "
        "atas piksel setiap gambar",
    ),
    "v_h_prior_3": (
        "sample_prior fails for a decoder with 3-number codes: read the "
        "code size from decoder.input.shape",
        "sample_prior gagal untuk decoder dengan kode 3 angka: baca ukuran "
        "kode dari decoder.input.shape",
    ),
    "v_h_prior_normal": (
        "the codes are not drawn from N(0, I): use rng.standard_normal",
        "kode tidak diambil dari N(0, I): pakai rng.standard_normal",
    ),
    # exercise 08 (cae_ref/grader/graded/, grading/hidden/)
    "f_indices": (
        "indices",
        "indeks",
    ),
    "f_1d": (
        "a 1-D array of integers",
        "array 1-D berisi bilangan bulat",
    ),
    "f_hint_indices": (
        "return row indices",
        "kembalikan indeks baris",
    ),
    "f_hint_per_class": (
        "draw per_class rows of each class, not per_class rows in all",
        "ambil per_class baris dari setiap kategori, bukan per_class baris "
        "secara keseluruhan",
    ),
    "f_distinct": (
        "distinct rows",
        "baris yang berbeda",
    ),
    "f_hint_replace": (
        "draw without repeats: replace=False",
        "ambil tanpa pengulangan: replace=False",
    ),
    "f_hint_separately": (
        "draw from each class separately (np.flatnonzero(labels == label)):"
        " a random draw from all rows is unbalanced",
        "ambil dari setiap kategori secara terpisah (np.flatnonzero(labels "
        "== label)): pengambilan acak dari semua baris tidak seimbang",
    ),
    "f_balanced_ok": (
        "balanced: per_class distinct rows of every class",
        "seimbang: per_class baris berbeda dari setiap kategori",
    ),
    "f_same_seed": (
        "the same seed gave other rows: draw with "
        "np.random.default_rng(seed), not np.random without a seed",
        "seed yang sama menghasilkan baris lain: ambil dengan "
        "np.random.default_rng(seed), bukan np.random tanpa seed",
    ),
    "f_other_seed": (
        "seeds 0 and 1 gave the same rows: use the seed argument",
        "seed 0 dan 1 menghasilkan baris yang sama: pakai argumen seed",
    ),
    "f_first_rows": (
        "you took the first 10 rows of each class: draw them at random "
        "(rng.choice or rng.permutation)",
        "Anda mengambil 10 baris pertama dari setiap kategori: ambil secara"
        " acak (rng.choice atau rng.permutation)",
    ),
    "f_seeded_ok": (
        "seeded and random",
        "memakai seed dan acak",
    ),
    "f_return_value": (
        "return value",
        "nilai kembalian",
    ),
    "f_fitted": (
        "a fitted classifier with .predict",
        "classifier yang sudah dilatih dengan .predict",
    ),
    "f_hint_fitted": (
        "return the fitted classifier",
        "kembalikan classifier yang sudah dilatih",
    ),
    "f_predict_output": (
        "predict's output",
        "keluaran predict",
    ),
    "f_hint_labels": (
        "predict one class label per row (not scores per class)",
        "prediksi satu label kategori per baris (bukan skor per kategori)",
    ),
    "f_changed": (
        "predictions that change when the labels of the unlabelled rows "
        "change",
        "prediksi yang berubah saat label baris tak berlabel berubah",
    ),
    "f_hint_labelled": (
        "fit on features[labelled] and labels[labelled] only: the other "
        "labels are not yours to use",
        "latih hanya dengan features[labelled] dan labels[labelled]: label "
        "lainnya bukan untuk Anda pakai",
    ),
    "f_honest_ok": (
        "only the labelled rows' labels were used",
        "hanya label dari baris berlabel yang dipakai",
    ),
    "f_hint_agreement": (
        "far lower: are the features and labels of the same rows paired, "
        "and is the classifier fitted? Far higher: does the classifier see "
        "more labels than the labelled rows?",
        "jauh lebih rendah: apakah fitur dan label dari baris yang sama "
        "sudah berpasangan, dan apakah classifier sudah dilatih? Jauh lebih"
        " tinggi: apakah classifier melihat lebih banyak label daripada "
        "baris berlabel?",
    ),
    "f_type": (
        "type",
        "tipe",
    ),
    "f_hint_asarray": (
        "use np.asarray",
        "pakai np.asarray",
    ),
    "f_codes_shape": (
        "codes' shape",
        "bentuk kode",
    ),
    "f_hint_encoder_output": (
        "return the encoder's output for these images",
        "kembalikan keluaran encoder untuk gambar-gambar ini",
    ),
    "f_feature_map": (
        "codes of a feature-map encoder",
        "kode dari encoder feature map",
    ),
    "f_hint_reshape": (
        "reshape to (len(images), -1)",
        "ubah bentuk menjadi (len(images), -1)",
    ),
    "f_no_run": (
        "the grader recorded no run of few_label_accuracies: run the "
        "notebook's cells in order",
        "penilai tidak mencatat satu pun eksekusi few_label_accuracies: "
        "jalankan sel-sel notebook secara berurutan",
    ),
    "f_comparison": (
        "the comparison above (your few_label_accuracies)",
        "perbandingan di atas (few_label_accuracies Anda)",
    ),
    "f_hint_key": (
        "key each accuracy by (features, count), e.g. ('codes', 10)",
        "beri setiap akurasi kunci (features, count), mis. ('codes', 10)",
    ),
    "f_float01": (
        "a float between 0 and 1",
        "float antara 0 dan 1",
    ),
    "f_hint_share": (
        "the share of test rows predicted right, not a percentage",
        "proporsi baris data uji yang diprediksi benar, bukan persentase",
    ),
    "f_calls": (
        "calls of fit",
        "pemanggilan fit",
    ),
    "f_hint_one_fit": (
        "fit one classifier per (features, count) with the fit you are given",
        "latih satu classifier per (features, count) dengan fit yang "
        "diberikan kepada Anda",
    ),
    "f_accuracies_ok": (
        "one accuracy per features and count",
        "satu akurasi per fitur dan count",
    ),
    "f_features_given": (
        "features given to fit",
        "fitur yang diberikan ke fit",
    ),
    "f_features_expected": (
        "the encoder's codes or the pixels of the pool images, one row per "
        "pool image",
        "kode encoder atau piksel gambar pool, satu baris per gambar pool",
    ),
    "f_hint_features": (
        "pass fit encode(encoder, x_pool) or the pool's flattened pixels, "
        "in the pool's order",
        "berikan ke fit encode(encoder, x_pool) atau piksel pool yang sudah"
        " diratakan, sesuai urutan pool",
    ),
    "f_hint_rows": (
        "pass fit the rows your pick_labelled(y_pool, count, seed) returns",
        "berikan ke fit baris yang dikembalikan pick_labelled(y_pool, "
        "count, seed) Anda",
    ),
    "f_hint_pick": (
        "pick the rows with your pick_labelled(y_pool, count, seed), not "
        "the first rows of the pool",
        "pilih baris dengan pick_labelled(y_pool, count, seed) Anda, bukan "
        "baris-baris pertama pool",
    ),
    "f_hint_heldout": (
        "score each classifier on its own features of x_test against "
        "y_test, not on the rows it was fitted on",
        "hitung skor setiap classifier pada fiturnya sendiri dari x_test "
        "terhadap y_test, bukan pada baris tempat ia dilatih",
    ),
    "f_entries": (
        "entries backed by a fitted classifier",
        "entri yang didukung classifier yang sudah dilatih",
    ),
    "f_hint_per": (
        "one fit per (features, count)",
        "satu fit per (features, count)",
    ),
    "f_all_ok": (
        "every accuracy is a held-out accuracy of a classifier fitted on "
        "the labelled pool rows",
        "setiap akurasi adalah akurasi pada data yang disisihkan dari "
        "classifier yang dilatih pada baris pool berlabel",
    ),
    "f_shape_dtype": (
        "shape {shape}, dtype {dtype}",
        "bentuk {shape}, dtype {dtype}",
    ),
    "f_rows_for": (
        "number of rows for per_class={per_class}",
        "jumlah baris untuk per_class={per_class}",
    ),
    "f_between": (
        "between 0 and {last}",
        "antara 0 dan {last}",
    ),
    "f_low_high": (
        "{low} to {high}",
        "{low} sampai {high}",
    ),
    "f_rows_per_class": (
        "rows per class for per_class={per_class}",
        "baris per kategori untuk per_class={per_class}",
    ),
    "f_accuracy_print": (
        "accuracy on held-out pixels, 10 labels per class: {accuracy}",
        "akurasi pada piksel yang disisihkan, 10 label per kategori: "
        "{accuracy}",
    ),
    "f_of": (
        "{changed} of {total}",
        "{changed} dari {total}",
    ),
    "f_agreement_print": (
        "{name}{count} labels per class: yours {yours}, the course's kNN "
        "{course}",
        "{name}{count} label per kategori: milik Anda {yours}, kNN kursus "
        "{course}",
    ),
    "f_heldout_of_yours": (
        "held-out accuracy of your classifier on the {name}, {count} labels"
        " per class",
        "akurasi classifier Anda pada data yang disisihkan dengan {name}, "
        "{count} label per kategori",
    ),
    "f_course_knn": (
        "{course} +- {margin} (the course's kNN on the same rows)",
        "{course} +- {margin} (kNN kursus pada baris yang sama)",
    ),
    "f_codes_print": (
        "codes {shape} and a feature map flattened to {flat}",
        "kode {shape} dan feature map yang diratakan menjadi {flat}",
    ),
    "f_accuracy_key": (
        "accuracy {key}",
        "akurasi {key}",
    ),
    "f_neither": (
        "an array of shape {shape} that is neither",
        "array berbentuk {shape} yang bukan keduanya",
    ),
    "f_labelled_for": (
        "labelled rows given to fit for the {name}",
        "baris berlabel yang diberikan ke fit untuk {name}",
    ),
    "f_count_distinct": (
        "count distinct pool rows per class, count in {counts}",
        "count baris pool berbeda per kategori, count dalam {counts}",
    ),
    "f_rows_distinct": (
        "{rows} rows ({distinct} distinct), per class {per_class}",
        "{rows} baris ({distinct} berbeda), per kategori {per_class}",
    ),
    "f_rows_of_pick": (
        "the rows of pick_labelled(y_pool, {count}, seed): {count} of every"
        " class",
        "baris dari pick_labelled(y_pool, {count}, seed): {count} dari "
        "setiap kategori",
    ),
    "f_rows_per": (
        "{rows} rows, per class {per_class}",
        "{rows} baris, per kategori {per_class}",
    ),
    "f_that_classifier": (
        "{accuracy} (that classifier on the held-out test rows)",
        "{accuracy} (classifier itu pada baris data uji yang disisihkan)",
    ),
    "f_h_labels": (
        "pick_labelled fails for labels that are not 0 to 9: loop over the "
        "labels that occur (np.unique(labels)), not range(10)",
        "pick_labelled gagal untuk label yang bukan 0 sampai 9: lakukan "
        "loop atas label yang muncul (np.unique(labels)), bukan range(10)",
    ),
    "f_h_same_seed": (
        "the same seed gave other rows",
        "seed yang sama menghasilkan baris lain",
    ),
    "f_h_scrambled": (
        "on the encoder's codes, predictions change when the labels of "
        "unlabelled rows change: fit on features[labelled] and "
        "labels[labelled] only",
        "pada kode encoder, prediksi berubah saat label baris tak berlabel "
        "berubah: latih hanya dengan features[labelled] dan "
        "labels[labelled]",
    ),
    # cae_ref.grader.guard: the answer-key guard
    "answer_key": (
        "write your own code; {name} is not allowed here",
        "tulis kode Anda sendiri; {name} tidak boleh dipakai di sini",
    ),
    "guard_reset": (
        "the answer-key guard's record was reset during the graded call: "
        "this check scores 0",
        "catatan penjaga kunci jawaban diatur ulang selama pemanggilan yang"
        " dinilai: pemeriksaan ini bernilai 0",
    ),
    "guard_escaped": (
        "the graded call switched off or escaped the answer-key guard "
        "({what}): this check scores 0",
        "pemanggilan yang dinilai mematikan atau lolos dari penjaga kunci "
        "jawaban ({what}): pemeriksaan ini bernilai 0",
    ),
    # locked cells of the notebooks (solutions/): result lines they print
    "nb_separation": (
        "separation score of the codes: {score}",
        "skor pemisahan kode: {score}",
    ),
    "nb_noisy_psnr": (
        "PSNR of the noisy images: {psnr} dB",
        "PSNR gambar dengan noise: {psnr} dB",
    ),
    "nb_denoised_psnr": (
        "PSNR noisy {noisy} dB, denoised {denoised} dB",
        "PSNR dengan noise {noisy} dB, setelah denoising {denoised} dB",
    ),
    "nb_kl_prior": (
        "KL of the prior itself:",
        "KL dari prior itu sendiri:",
    ),
    "nb_kl_untrained": (
        "KL of the untrained encoder's Gaussians:",
        "KL dari Gaussian encoder yang belum dilatih:",
    ),
    "nb_elbo_untrained": (
        "negative ELBO of 4 test images, untrained:",
        "ELBO negatif dari 4 gambar data uji, belum dilatih:",
    ),
    "nb_elbo_trained": (
        "negative ELBO on held-out images: {before} before, {after} after "
        "training (nats per image)",
        "ELBO negatif pada gambar yang disisihkan: {before} sebelum, "
        "{after} setelah pelatihan (nat per gambar)",
    ),
    "nb_codes_beat": (
        "with {count} labels per class your codes beat the pixels",
        "dengan {count} label per kategori, kode Anda mengalahkan piksel",
    ),
    "nb_codes_do_not_beat": (
        "with {count} labels per class your codes do not beat the pixels",
        "dengan {count} label per kategori, kode Anda tidak mengalahkan "
        "piksel",
    ),
}

MESSAGES: dict[str, dict[str, str]] = {
    language: {key: pair[i] for key, pair in _PAIRS.items()}
    for i, language in enumerate(LANGUAGES)
}


def set_language(language: str) -> None:
    """Make every later message in ``language`` ("en" or "id").

    Sets ``CAE_LANGUAGE``, which ``message`` reads each time it makes one.
    """
    _checked(language)
    os.environ[LANGUAGE_ENV] = language


def language() -> str:
    """The language messages are made in now: ``CAE_LANGUAGE``, else English."""
    return _checked(os.environ.get(LANGUAGE_ENV, "").strip() or "en")


def message(key: str, **fields: object) -> str:
    """The message ``key`` in the current language, its ``{fields}`` filled.

    Raises KeyError naming the key when the catalogue has no such message.
    """
    texts = MESSAGES[language()]
    if key not in texts:
        raise KeyError(f"no message {key!r} in cae_ref.grader.messages")
    return texts[key].format(**fields)


def fields_of(text: str) -> set[str]:
    """The ``{fields}`` a message text expects."""
    return {n for _, n, _, _ in string.Formatter().parse(text) if n}


def _checked(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(
            f"unknown language {language!r}: cae_ref has messages in "
            f"{', '.join(LANGUAGES)}"
        )
    return language
