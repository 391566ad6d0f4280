# Teks bot Wavegate, Bahasa Indonesia.

welcome =
    Halo, { $name }! 👋

    <b>Wavegate</b> adalah VPN yang cepat dan privat untuk semua perangkat.

    • Satu tautan untuk ponsel, laptop, dan tablet
    • Bayar dengan beberapa ketukan: Telegram Stars, UPI, QRIS, atau kripto
    • Baru di sini? Coba gratis selama { $trialDays } hari

    Apa yang ingin Anda lakukan?
welcome-back = Selamat datang kembali, { $name }! Apa yang ingin Anda lakukan?
menu-buy = 🛒 Beli VPN
menu-status = 🔑 Langganan saya
menu-invite = 🎁 Ajak teman
menu-language = 🌐 Bahasa
menu-help = ❓ Bantuan
menu-back = ⬅️ Kembali ke menu
promo-ask = Kirimkan kode promo Anda (huruf dan angka), atau ketuk Kembali ke menu untuk keluar.
promo-not-a-code = Itu tidak terlihat seperti kode promo: 3–32 huruf, angka, tanda hubung, atau garis bawah. Kirim lagi, atau ketuk Kembali ke menu.
help =
    <b>Cara kerja Wavegate</b>

    1. Pilih paket dengan /buy dan bayar dengan Telegram Stars, UPI, QRIS, atau kripto.
    2. Anda mendapat tautan langganan pribadi dan kode QR.
    3. Impor tautan ke v2rayNG (Android), Hiddify (semua perangkat), Streisand atau Happ (iPhone, Mac).

    Perintah: /buy, /status, /trial, /invite, /language, /help
help-support = Ada pertanyaan? Hubungi { $contact }.
invite =
    <b>Ajak teman, dapatkan hari gratis</b>

    Bagikan tautan pribadi Anda. Saat teman melakukan pembayaran pertama, Anda mendapat { $bonusDays } hari tambahan.

    Tautan Anda: { $link }

    Teman yang sudah diajak: { $invited }
language-choose = Pilih bahasa Anda:
language-changed = Selesai! Mulai sekarang saya berbahasa Indonesia.
unknown-command = Saya tidak mengenal perintah itu. Ini menunya:
slow-down = Terlalu cepat. Mohon tunggu sebentar, lalu coba lagi.
error-generic = Ada masalah di sisi kami. Silakan coba lagi dalam satu menit.
menu-trial = 🎁 Coba gratis

## Pembelian
plans-title = <b>Pilih paket</b>
plan-line =
    <b>{ $name }</b> — { $days } hari, { $traffic }, hingga { $devices } perangkat
    { $prices }
plan-monthly = Bulanan
plan-quarterly = Triwulanan
plan-yearly = Tahunan
plan-trial = Uji coba gratis
traffic-unlimited = kuota tanpa batas
traffic-gb = { $gb } GB
methods-title =
    <b>{ $name }</b>: { $days } hari, { $traffic }, hingga { $devices } perangkat.

    Pilih metode pembayaran:
method-stars = ⭐ Telegram Stars · { $price }
method-stars-subscription = 🔁 Langganan Stars · { $price } setiap 30 hari
method-razorpay = ₹ Razorpay / UPI · { $price }
method-xendit = Rp Xendit / QRIS · { $price }
method-crypto = 💎 Kripto USDT/TON · { $price }
pay-link-razorpay = Bayar <b>{ $amount }</b> untuk { $name } lewat UPI: ketuk tombol dan setujui di aplikasi UPI Anda. Tautan berlaku hingga { $expires }; tautan VPN Anda dikirim ke sini segera setelah Razorpay mengonfirmasi pembayaran.
pay-link-cryptopay = Bayar <b>{ $amount }</b> untuk { $name } dengan USDT atau TON: ketuk tombol untuk membuka tagihan di @CryptoBot. Berlaku hingga { $expires }; tautan VPN Anda dikirim ke sini segera setelah pembayaran dikonfirmasi.
pay-qris = Pindai kode QRIS ini dengan aplikasi bank atau dompet digital apa pun untuk membayar <b>{ $amount }</b> untuk { $name }. Berlaku hingga { $expires }; tautan VPN Anda dikirim ke sini segera setelah Xendit mengonfirmasi pembayaran.
pay-button = 💳 Bayar { $amount }
checkout-failed = Layanan pembayaran tidak merespons, jadi tidak ada dana yang ditarik. Silakan coba lagi dalam beberapa menit, atau bayar dengan Telegram Stars.
checkout-too-many = Anda membuka terlalu banyak pembayaran dalam beberapa menit. Silakan bayar salah satunya, atau coba lagi dalam beberapa menit.
reminder-expiring = ⏳ Langganan VPN Anda berakhir pada <b>{ $expires }</b>. Perpanjang sekarang agar tetap terhubung tanpa jeda.
reminder-renews = 🔁 Langganan Anda diperpanjang otomatis pada <b>{ $expires }</b> dengan Telegram Stars. Tidak perlu melakukan apa pun.
reminder-expired = ⌛ Langganan VPN Anda telah berakhir. Beli paket untuk terhubung kembali: tautan Anda tetap sama.
usage-connected = ✅ Anda sudah terhubung! VPN Anda berfungsi. Tambahkan di perangkat lain dengan tautan yang sama: 🔑 Langganan saya → 🔗 Tautan.
usage-traffic = 📊 Anda telah memakai { $percent }% kuota periode ini. Beli paket sekarang agar VPN tidak berhenti saat kuota habis.
usage-limited = ⚠️ Kuota periode ini sudah habis, jadi VPN Anda dijeda sampai kuota direset. Beli paket untuk terhubung lagi sekarang.
usage-setup-help =
    👋 VPN Anda sudah siap, tetapi belum ada perangkat yang terhubung. Caranya:
    • Android: pasang v2rayNG atau Hiddify → “+” → impor dari clipboard
    • iPhone, iPad, Mac: Streisand, Happ atau Hiddify → “+” → tambah dari clipboard
    • Windows, Linux: Hiddify → profil baru → tambah dari clipboard
    Salin tautan Anda dengan tombol di bawah, atau pindai kode QR. Ada kendala? Kirim /help.
usage-device-limit = 📱 Semua { $limit } slot perangkat paket Anda sudah terpakai, jadi perangkat baru tidak bisa terhubung. Reset perangkat untuk mengosongkannya: di perangkat yang tetap dipakai, impor tautannya lagi.
invoice-title = Wavegate VPN · { $name }
invoice-description = VPN { $days } hari, { $traffic }, hingga { $devices } perangkat.
subscription-offer = Berlangganan paket { $name } seharga { $price } setiap 30 hari. Telegram memperpanjangnya secara otomatis; Anda bisa membatalkannya kapan saja di /status.
subscription-button = 🔁 Berlangganan · { $price }

## Checkout dan pembayaran
checkout-order-unknown = Tagihan ini sudah tidak berlaku. Silakan pilih paket lagi dengan /buy.
checkout-order-paid = Tagihan ini sudah dibayar.
checkout-amount-mismatch = Jumlah pembayaran tidak sesuai dengan tagihan ini. Silakan pilih paket lagi dengan /buy.
checkout-price-changed = Harga sudah berubah sejak tagihan ini dibuat. Silakan pilih paket lagi dengan /buy.
payment-received = ✅ Pembayaran diterima! VPN Anda sedang disiapkan — tautannya akan segera dikirim.
payment-problem = Pembayaran Anda sudah kami terima, tetapi belum bisa dicocokkan dengan pesanan mana pun. Tim kami sudah diberi tahu dan akan segera menyelesaikannya.
provisioned =
    🎉 <b>VPN Anda sudah siap!</b>
    Aktif hingga: <b>{ $expires }</b>

    Tautan pribadi Anda:
    <code>{ $link }</code>

    Cara menghubungkan:
    • Android: v2rayNG atau Hiddify → “+” → impor dari clipboard
    • iPhone, iPad, Mac: Streisand, Happ, atau Hiddify → “+” → tambahkan dari clipboard
    • Windows, Linux: Hiddify → profil baru → tambahkan dari clipboard
    Salin tautan di atas, atau pindai kode QR di bawah ini.
qr-caption = Pindai kode QR ini di aplikasi VPN Anda untuk mengimpor langganan.
refunded = ↩️ Pembayaran Anda sebesar { $amount } telah dikembalikan, dan masa aktif { $days } hari dari pembayaran tersebut telah ditarik kembali.
refunded-active-until = Langganan Anda sekarang aktif hingga { $expires }.
refunded-ended = Langganan Anda telah berakhir.

## Uji coba
trial-started = 🎁 Uji coba gratis { $days } hari Anda sedang disiapkan — tautannya akan segera dikirim.
trial-used = Anda sudah menggunakan uji coba gratis. Pilih paket dengan /buy.
trial-not-available = Uji coba gratis hanya untuk pelanggan baru. Pilih paket dengan /buy.

## Langganan saya
status-none = Anda belum punya langganan. Pilih paket atau mulai uji coba gratis:
status-title = <b>Langganan saya</b>
status-body =
    Paket: { $plan }
    Status: { $status }
    Aktif hingga: { $expires }
    Pemakaian: { $used } dari { $limit }
    Perangkat: hingga { $devices }
status-active = ✅ aktif
status-expired = ⌛ sudah berakhir
status-disabled = ⛔ dinonaktifkan
status-limited = ⚠️ kuota sudah habis
status-renewal-on = 🔁 Perpanjangan otomatis: aktif (Telegram Stars, setiap 30 hari)
status-renewal-canceled = ⏸ Perpanjangan otomatis: nonaktif; langganan berakhir pada tanggal di atas
status-renewal-failed = ⚠️ Perpanjangan otomatis gagal: Telegram tidak dapat menagih perpanjangan. Ketuk Perpanjang untuk membayar lagi.
status-unknown-plan = —
status-panel-unavailable = Server VPN sedang tidak dapat dihubungi. Langganan Anda tetap aman; silakan coba lagi dalam satu menit.
status-renew = 🔄 Perpanjang
status-qr = 📷 Kode QR
status-link = 🔗 Tautan
status-devices = 📱 Reset perangkat
status-new-link = ♻️ Tautan baru
status-cancel-subscription = ⏸ Matikan perpanjangan otomatis
status-resume-subscription = ▶️ Aktifkan lagi perpanjangan otomatis
link-message =
    Tautan langganan Anda:
    <code>{ $link }</code>
devices-reset = 📱 Semua perangkat telah diputus. Impor ulang tautan Anda di perangkat yang ingin Anda gunakan lagi.
revoke-confirm = Tautan baru akan menggantikan tautan lama: perangkat yang memakai tautan lama akan berhenti berfungsi sampai Anda mengimpor tautan baru. Lanjutkan?
revoke-yes = ♻️ Ya, buat tautan baru
revoke-done =
    ♻️ Selesai! Ini tautan baru Anda:
    <code>{ $link }</code>
subscription-canceled = Perpanjangan otomatis dimatikan. Langganan Anda tetap aktif sampai masa berlakunya habis.
subscription-resumed = Perpanjangan otomatis sudah aktif kembali.

## Referral standing
menu-points = 🏆 Poin saya
invite-share = 📤 Bagikan tautan saya
invite-share-text = VPN cepat dan privat langsung di Telegram. Coba dengan tautan saya:
points =
    <b>🏆 Poin saya</b>

    Teman diundang: { $invited }
    Teman yang membayar: { $paying }
    Hari didapat: { $days }
points-next = Hadiah berikutnya: { $days } hari lagi saat { $at } teman membayar (kurang { $toGo }).
points-all-reached = Anda telah mencapai semua target. Terima kasih!
points-rules = Anda mendapat { $bonusDays } hari untuk pembayaran pertama setiap teman, dan 30, 90, serta 180 hari lagi saat 3, 10, dan 25 teman membayar.
top-week = Minggu ini
top-month = Bulan ini
top-all = Sepanjang waktu
top-title = <b>🏆 Pengundang teratas · { $period }</b>
top-empty = Belum ada. Undang teman dan jadilah yang pertama!
top-you = Anda: #{ $rank } dengan { $paying }
top-you-none = Anda belum ada di papan ini: undang teman yang membayar.
bonus-added = 🎁 +{ $days } hari karena mengundang teman! Langganan Anda kini aktif sampai <b>{ $expires }</b>.
bonus-stored = 🎁 Anda mendapat { $days } hari karena mengundang teman. Hari itu disimpan dan ditambahkan saat Anda membeli paket atau memulai uji coba gratis.
bonus-taken-back = ↩️ { $days } hari bonus untuk pembayaran teman ditarik kembali: pembayaran itu dikembalikan.

# Promo codes
menu-promo = 🎟 Saya punya kode promo
promo-days = 🎁 Kode <b>{ $code }</b> diterima: +{ $days } hari. Hari-hari ini segera ditambahkan ke langganan Anda (atau, jika belum berlangganan, saat Anda membeli paket atau memulai uji coba).
promo-discount = 🎟 Kode <b>{ $code }</b> diterima: diskon { $percent }% untuk pembelian berikutnya. Pilih paket untuk memakainya.
promo-discount-applied = 🎟 Diskon promo { $percent }% Anda sudah termasuk dalam harga ini (kecuali langganan Stars, yang diperpanjang dengan harga penuh).
promo-unknown = Kode promo <b>{ $code }</b> tidak ada. Periksa ejaannya dan kirim lagi.
promo-expired = Kode promo <b>{ $code }</b> sudah tidak berlaku.
promo-exhausted = Kode promo <b>{ $code }</b> sudah habis dipakai.
promo-used = Anda sudah pernah memakai kode promo <b>{ $code }</b>.
promo-discount-waiting = Anda masih punya diskon promo: pakai dulu pada pembelian berikutnya sebelum menukarkan kode lain (<b>{ $code }</b> tidak dipakai).
promo-bonus-added = 🎁 +{ $days } hari dari kode promo Anda! Langganan Anda kini aktif hingga <b>{ $expires }</b>.
promo-bonus-stored = 🎁 { $days } hari dari kode promo Anda disimpan dan ditambahkan saat Anda membeli paket atau memulai uji coba gratis.

# Admin actions the customer sees
admin-new-link = 🔑 Tim dukungan memberi Anda tautan langganan baru; tautan lama tidak berlaku lagi. Tautan baru Anda:
    <code>{ $link }</code>
admin-bonus-added = 🎁 +{ $days } hari dari tim Wavegate! Langganan Anda kini aktif hingga <b>{ $expires }</b>.
admin-bonus-stored = 🎁 Tim Wavegate memberi Anda { $days } hari. Hari-hari ini disimpan dan ditambahkan saat Anda membeli paket atau memulai uji coba gratis.

# Gifts
gift-button = 🎁 Beli sebagai hadiah
gift-methods-title = 🎁 <b>{ $name }</b> sebagai hadiah: { $days } hari, { $traffic }, { $devices } perangkat. Anda membayar dan mendapat tautan untuk diteruskan; siapa pun yang membukanya pertama kali mendapat paketnya. Pilih cara membayar:
gift-invoice-title = Hadiah: { $name }
gift-ready = 🎁 Hadiah Anda siap: { $days } hari Wavegate. Kirim tautan ini kepada penerimanya; yang pertama membukanya mendapat paketnya (hanya berlaku sekali):
    { $link }
gift-share-button = 📤 Kirim hadiah
gift-share-text = Hadiah untuk Anda: Wavegate VPN. Buka tautannya untuk mengaktifkan.
gift-received = 🎁 Anda menerima hadiah: { $days } hari Wavegate! Tautan langganan Anda segera menyusul.
gift-redeemed = 🎁 Hadiah Anda baru saja ditukarkan. Terima kasih telah berbagi Wavegate!
gift-yours-already = Anda sudah menukarkan hadiah ini: hari-harinya sudah ada di langganan Anda.
gift-taken = Hadiah ini sudah ditukarkan oleh orang lain.
gift-own = Ini hadiah Anda sendiri: kirim tautannya kepada penerimanya.
gift-unknown = Tautan hadiah ini tidak berlaku (mungkin pembayarannya sudah dikembalikan).
gift-taken-back = ↩️ { $days } hari dari sebuah hadiah ditarik kembali: pemberinya menerima pengembalian dana.

## Web site (site-*) and cabinet (app-*): static-site/src, built by scripts/site-build.mjs
site-skip = Langsung ke konten
site-nav-label = Menu utama
site-nav-features = Fitur
site-nav-pricing = Harga
site-nav-faq = Bantuan
site-nav-app = Akun saya
site-nav-privacy = Privasi
site-nav-terms = Ketentuan
site-lang-label = Bahasa
site-footer-bot = Bot Telegram
site-cta-bot = Buka bot Telegram
site-cta-app = Buka akun saya
site-cur-xtr = Telegram Stars
site-cur-usd = Dolar AS
site-cur-inr = Rupee India
site-cur-idr = Rupiah
site-plan-days = { $days } hari
site-plan-devices = hingga { $devices } perangkat
site-home-title = Wavegate — VPN cepat dan privat untuk semua perangkat
site-home-desc = VPN cepat dan privat untuk ponsel, laptop, dan tablet. Bayar dengan Telegram Stars, UPI, QRIS, atau kripto; coba gratis.
site-hero-title = VPN cepat dan privat untuk semua perangkat
site-hero-text = Satu tautan untuk ponsel, laptop, dan tablet. Beli dengan beberapa ketukan di Telegram dan terhubung dalam semenit.
site-features-title = Kenapa Wavegate
site-feat-devices-title = Satu tautan, semua perangkat
site-feat-devices = Impor satu tautan langganan di Android, iPhone, Mac, dan Windows.
site-feat-pay-title = Bayar sesukamu
site-feat-pay = Telegram Stars, UPI, QRIS, atau kripto (USDT, TON).
site-feat-trial-title = Coba gratis
site-feat-trial = Pelanggan baru mendapat uji coba gratis, tanpa pembayaran.
site-feat-private-title = Privat sejak awal
site-feat-private = Kami hanya menyimpan yang diperlukan untuk tagihan, tidak pernah situs yang kamu kunjungi.
site-feat-apps-title = Jalan di aplikasi yang kamu kenal
site-feat-apps = v2rayNG, Hiddify, Streisand, dan Happ: ketuk tombol dan aplikasi menambahkan tautanmu.
site-feat-devices-control-title = Perangkatmu, kendalimu
site-feat-devices-control = Lihat perangkat di paketmu, hapus yang mana saja, atau minta tautan baru kapan saja.
site-feat-referrals-title = Ajak teman, dapat hari gratis
site-feat-referrals = Pembayaran pertama tiap teman menambah hari ke paketmu, dengan hadiah lebih besar di tiap pencapaian.
site-feat-gifts-title = Hadiahkan paket
site-feat-gifts = Beli paket sebagai hadiah dan kirim tautannya: siapa pun yang membukanya pertama mendapat VPN.
site-more-features = Semua fitur
site-pricing-title = Paket dan harga
site-more-pricing = Harga dan cara bayar
site-pricing-page-title = Harga — Wavegate VPN
site-pricing-desc = Paket Wavegate: bulanan, tiga bulanan, dan tahunan, dalam Telegram Stars, dolar, rupee, dan rupiah.
site-pricing-lead = Setiap paket bisa dipakai di semua perangkatmu. Harga sudah termasuk semuanya, tanpa biaya tersembunyi.
site-methods-title = Cara membayar
site-method-stars = Telegram Stars: sekali bayar, atau langganan yang diperpanjang setiap 30 hari.
site-method-upi = UPI dalam rupee melalui Razorpay.
site-method-qris = QRIS dalam rupiah melalui Xendit: aplikasi bank atau dompet digital apa pun.
site-method-crypto = USDT atau TON melalui Crypto Pay, harga dalam dolar.
site-pricing-trial = Masih ragu? Mulai uji coba gratis di bot dulu.
site-features-page-title = Fitur — Wavegate VPN
site-features-desc = Yang kamu dapat dari Wavegate: satu tautan untuk semua perangkat, pembayaran mudah, uji coba gratis, kendali perangkat, dan hadiah.
site-faq-page-title = Bantuan — Wavegate VPN
site-faq-desc = Cara memasang Wavegate di Android, iPhone, Windows, dan macOS, cara membayar, uji coba gratis, dan pengembalian dana.
site-faq-title = Bantuan dan pertanyaan
site-faq-setup = Atur perangkatmu
site-faq-android-q = Android: v2rayNG atau Hiddify
site-faq-android = Pasang v2rayNG atau Hiddify dari Google Play. Salin tautanmu di bot atau di akunmu, lalu ketuk “+” → Impor dari papan klip. Di ponsel, tombol “Tambahkan ke” di akunmu melakukannya dengan sekali ketuk.
site-faq-ios-q = iPhone dan iPad: Streisand atau Happ
site-faq-ios = Pasang Streisand atau Happ dari App Store. Salin tautanmu, buka aplikasinya, lalu ketuk “+” → Tambah dari papan klip, atau pindai kode QR-mu.
site-faq-desktop-q = Windows dan macOS: Hiddify
site-faq-desktop = Unduh Hiddify untuk komputermu, pilih Profil baru → Tambah dari papan klip, lalu tempel tautanmu.
site-faq-billing = Pembayaran
site-faq-pay-q = Bagaimana cara membayar?
site-faq-pay = Di bot atau di akunmu: Telegram Stars, UPI (India), QRIS (Indonesia), atau kripto. Tautanmu datang begitu pembayaran dikonfirmasi.
site-faq-trial-q = Apakah ada uji coba gratis?
site-faq-trial = Ada. Pelanggan baru bisa memulai uji coba gratis di bot dengan /trial, tanpa pembayaran.
site-faq-refund-q = Bisakah saya minta pengembalian dana?
site-faq-refund = Jika Wavegate tidak cocok untukmu, tulis ke dukungan di bot (/help). Dana kembali lewat cara kamu membayar, dan harinya dikurangi dari langgananmu.
site-faq-devices-q = Berapa perangkat yang bisa saya pakai?
site-faq-devices = Setiap paket punya batas perangkat. Jika sudah penuh, hapus satu perangkat di akunmu atau reset semuanya.
site-privacy-title = Privasi
site-privacy-desc = Apa yang disimpan Wavegate tentangmu, untuk apa, dan cara menghapusnya.
site-privacy-data-title = Yang kami simpan
site-privacy-data = ID Telegram, nama, nama pengguna, dan bahasamu; paket, pembayaran, dan referalmu; serta perangkat di paketmu (platform dan model) untuk menegakkan batas perangkat.
site-privacy-traffic-title = Lalu lintasmu
site-privacy-traffic = Kami hanya menghitung berapa banyak kuota yang kamu pakai, untuk batas paket. Kami tidak mencatat situs yang kamu kunjungi atau apa yang kamu kirim.
site-privacy-pay-title = Pembayaran
site-privacy-pay = Pembayaran diproses oleh Telegram, Razorpay, Xendit, dan Crypto Pay. Kami menerima jumlah dan nomor referensi, tidak pernah data kartu atau rekening.
site-privacy-cookies-title = Cookie
site-privacy-cookies = Situs ini memakai cookie hanya agar kamu tetap masuk ke akunmu. Tanpa iklan, tanpa pelacak.
site-privacy-rights-title = Pilihanmu
site-privacy-rights = Tulis ke dukungan di bot untuk meminta salinan datamu atau menghapusnya.
site-terms-title = Ketentuan layanan
site-terms-desc = Ketentuan layanan Wavegate VPN: paket, pembayaran, penggunaan wajar, dan pengembalian dana.
site-terms-service-title = Layanan
site-terms-service = Paket memberi akses VPN selama masa berlakunya, dalam batas kuota dan perangkat. Kami berusaha menjaganya tetap tersedia, tetapi tidak bisa menjamin tidak pernah terputus.
site-terms-pay-title = Pembayaran dan perpanjangan
site-terms-pay = Harga ditampilkan sebelum kamu membayar. Langganan Stars diperpanjang setiap 30 hari sampai kamu membatalkannya di bot. Perubahan harga tidak memengaruhi periode yang sudah dibayar.
site-terms-use-title = Penggunaan wajar
site-terms-use = Jangan gunakan Wavegate untuk hal ilegal, spam, atau serangan, dan jangan bagikan tautanmu di luar perangkatmu sendiri. Kami dapat menangguhkan akun yang melakukannya.
site-terms-refund-title = Pengembalian dana
site-terms-refund = Hubungi dukungan di bot. Dana kembali lewat cara kamu membayar dan hari yang dibayarnya berakhir.
site-terms-change-title = Perubahan
site-terms-change = Kami dapat memperbarui ketentuan ini; bot akan memberi tahu perubahan penting.
app-page-title = Akun saya — Wavegate
app-desc = Langganan Wavegate-mu: tautan, kode QR, perangkat, pembayaran, dan hadiah.
app-title = Akun saya
app-noscript = Akunmu memerlukan JavaScript. Kamu juga bisa mengatur semuanya di bot Telegram.
app-loading = Memuat…
app-signin-title = Masuk
app-signin-text = Masuk dengan akun Telegram-mu. Baru di sini? Buka bot dulu dan tekan Mulai.
app-open-telegram = Buka di Telegram
app-error-signin = Gagal masuk dengan Telegram. Silakan coba lagi.
app-error-bot-first = Buka bot di Telegram dan tekan Mulai dulu, lalu masuk di sini.
app-error-rate = Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.
app-error-network = Tidak ada koneksi. Periksa internetmu lalu coba lagi.
app-sub-title = Langganan saya
app-no-sub = Kamu belum punya langganan. Pilih paket di bawah.
app-trial = Uji coba gratis menunggumu: mulai di bot.
app-plan = Paket
app-status = Status
app-expires = Aktif hingga
app-traffic = Kuota
app-traffic-of = { $used } dari { $limit }
app-traffic-unlimited = { $used } terpakai, tanpa batas
app-device-limit = Perangkat
app-link-title = Tautan langganan
app-link-label = Tautan pribadimu
app-copy = Salin
app-copied = Tersalin
app-qr-alt = Kode QR tautan langgananmu
app-revoke = Tautan baru
app-revoke-done = Ini tautan barumu. Impor lagi di perangkatmu.
app-guide-title = Hubungkan perangkat
app-guide-android = Android
app-guide-ios = iPhone dan iPad
app-guide-desktop = Windows dan macOS
app-guide-steps = Pasang aplikasinya, lalu ketuk tombolnya di sini. Atau salin tautan dan impor dari papan klip di aplikasi.
app-guide-add = Tambahkan ke { $app }
app-devices-title = Perangkat
app-devices-count = { $total } dari { $limit } terpakai
app-devices-empty = Belum ada perangkat yang terhubung.
app-device-added = ditambahkan { $date }
app-device-remove = Hapus
app-device-remove-label = Hapus { $device }
app-device-confirm = Hapus perangkat ini? Perangkat bisa terhubung lagi dengan mengimpor tautan.
app-device-removed = Perangkat dihapus.
app-devices-reset = Reset semua perangkat
app-devices-reset-confirm = Putuskan semua perangkat? Impor lagi tautan di perangkat yang kamu pakai.
app-devices-reset-done = Semua perangkat diputuskan.
app-buy-title = Beli atau perpanjang
app-checkout-opening = Membuka pembayaran…
app-checkout-invoice = Tagihan { $price } dibuka.
app-paid = Pembayaran diterima! Langgananmu diperbarui sebentar lagi.
app-pay-failed = Pembayaran gagal. Silakan coba lagi.
app-pay-until = Bayar sebelum { $time }.
app-qris = Bayar { $price } dengan QRIS: tempel kode ini di aplikasi bank atau dompet digitalmu.
app-qris-label = Kode QRIS
app-error-method = Cara bayar ini tidak tersedia untuk paket ini.
app-error-plan = Paket ini sudah tidak dijual.
app-promo-label = Kode promo
app-promo-apply = Pakai
app-promo-empty = Masukkan kode promo.
app-promo-days = Kode diterima: +{ $days } hari.
app-promo-percent = Kode diterima: diskon { $percent }% untuk pembelian berikutnya.
app-promo-unknown = Kode promo itu tidak ada.
app-promo-expired = Kode promo ini sudah tidak berlaku.
app-promo-used-up = Kode promo ini sudah habis.
app-promo-already-used = Kamu sudah memakai kode promo ini.
app-promo-held = Kamu sudah punya diskon: pakai dulu di pembelian berikutnya.
app-ref-title = Ajak teman
app-ref-text = Bagikan tautanmu. Saat teman membayar pertama kali, kamu dapat hari gratis.
app-ref-link = Tautan undanganmu
app-share = Bagikan
app-ref-invited = Diundang:
app-ref-paying = Sudah bayar:
app-ref-days = Hari didapat:
app-top-title = Pengundang teratas
app-top-row = #{ $rank } { $name } · { $paying }
app-settings-title = Pengaturan
app-signout = Keluar
app-cancel = Batal
app-confirm = Ya, lanjutkan

# The operator console (/admin/): rendered by the site build, like the site- and app- keys.
adm-page-title = Konsol operator — Wavegate
adm-desc = Konsol operator Wavegate: penjualan, pelanggan, pembayaran, paket, kode promo, siaran, dan server.
adm-title = Konsol operator
adm-noscript = Konsol ini memerlukan JavaScript.
adm-signin-text = Masuk dengan akun Telegram yang ada di daftar operator.
adm-not-admin-title = Bukan operator
adm-not-admin = Akun Telegram ini bukan operator konsol ini. Keluar, lalu masuk dengan akun operator.
adm-error = Permintaan gagal: { $reason }
adm-error-no-panel = Pelanggan ini belum punya pengguna di panel.
adm-refresh = Muat ulang
adm-nav-label = Bagian konsol
adm-nav-dashboard = Ringkasan
adm-nav-users = Pelanggan
adm-nav-payments = Pembayaran
adm-nav-plans = Paket
adm-nav-promos = Kode promo
adm-nav-broadcast = Siaran
adm-nav-nodes = Server
adm-yes = ya
adm-no = tidak
adm-any = Semua
adm-prev = Sebelumnya
adm-next = Berikutnya
adm-page = Halaman { $n }
adm-save = Simpan
adm-apply = Terapkan
adm-tb = { $tb } TB
adm-kpi-users = Pelanggan
adm-kpi-users-new = +{ $today } hari ini · +{ $d7 } dalam 7 hari · +{ $d30 } dalam 30 hari
adm-kpi-active = Langganan aktif
adm-kpi-active-none = Tidak ada langganan aktif.
adm-kpi-revenue = Pendapatan
adm-kpi-revenue-none = Tidak ada pembayaran dalam 30 hari terakhir.
adm-col-currency = Mata uang
adm-col-today = Hari ini
adm-col-7d = 7 hari
adm-col-30d = 30 hari
adm-kpi-trials = Uji coba gratis
adm-kpi-trials-sub = { $d30 } dalam 30 hari · { $percent }% pengguna uji coba kemudian membayar
adm-kpi-referrals = Pembayar lewat undangan
adm-kpi-referrals-sub = { $referred } dari { $paying } pelanggan yang membayar datang lewat undangan
adm-kpi-panel = Panel VPN
adm-kpi-online = { $now } online sekarang · { $today } hari ini
adm-kpi-panel-more = { $nodes } server online · { $traffic } terlayani
adm-panel-down = Panel tidak menjawab: { $error }
adm-charts-title = { $days } hari terakhir
adm-chart-revenue = Pendapatan per hari
adm-chart-new-paying = Pelanggan baru yang membayar per hari
adm-chart-active = Langganan aktif
adm-chart-plan-mix = Pembayaran per paket
adm-chart-total = Total: { $total }
adm-plan-bonus = Hari bonus
adm-provider-stars = Telegram Stars
adm-provider-razorpay = Razorpay
adm-provider-xendit = Xendit
adm-provider-cryptopay = Crypto Pay
adm-provider-trial = Uji coba
adm-provider-bonus = Bonus
adm-users-search = Cari
adm-users-hint = Telegram id, @username, sebagian nama, atau id pendek panel.
adm-users-sort = Urutan
adm-sort-newest = Terbaru dulu
adm-sort-oldest = Terlama dulu
adm-sort-expires = Segera berakhir
adm-sort-expires-late = Berakhir paling lambat
adm-users-empty = Tidak ada pelanggan yang ditemukan.
adm-col-id = Telegram id
adm-col-name = Nama
adm-col-joined = Bergabung
adm-col-expires = Aktif sampai
adm-col-status = Status
adm-col-plan = Paket
adm-col-payments = Pembayaran
adm-col-locale = Bahasa
adm-blocked = memblokir bot
adm-back-users = ← Semua pelanggan
adm-user-profile = Profil dan langganan
adm-field-username = Nama pengguna
adm-field-traffic = Trafik
adm-field-devices = Perangkat
adm-field-link = Tautan langganan
adm-field-bonus = Hari bonus
adm-field-trial = Uji coba dipakai
adm-field-referral-code = Kode referal
adm-field-referred-by = Diundang oleh
adm-field-online = Terakhir online
adm-field-panel = Panel
adm-panel-none = belum ada di panel
adm-panel-missing = tidak ada di panel
adm-actions = Tindakan
adm-extend-days = Hari yang ditambahkan
adm-extend = Tambah hari
adm-disable = Nonaktifkan
adm-enable = Aktifkan
adm-reset-devices = Reset perangkat
adm-new-link = Tautan baru
adm-confirm-extend = Tambahkan { $days } hari untuk pelanggan ini?
adm-confirm-disable = Nonaktifkan akses VPN pelanggan ini?
adm-confirm-reset = Putuskan semua perangkat pelanggan ini?
adm-confirm-link = Buat tautan langganan baru? Tautan lama berhenti berfungsi.
adm-done-extend = { $days } hari ditambahkan: panel menerimanya sebentar lagi.
adm-done = Selesai.
adm-user-payments = Pembayaran
adm-user-orders = Pesanan
adm-user-referrals = Teman yang diundang
adm-user-audit = Jejak audit
adm-none-yet = Belum ada.
adm-col-number = #
adm-col-date = Tanggal
adm-col-customer = Pelanggan
adm-col-provider = Kanal
adm-col-amount = Jumlah
adm-col-kind = Jenis
adm-col-order = Pesanan
adm-col-external = Referensi penyedia
adm-col-days = Hari
adm-col-paid = Membayar
adm-col-actor = Oleh
adm-col-action = Tindakan
adm-col-change = Perubahan
adm-pay-pending = menunggu
adm-pay-completed = berhasil
adm-pay-failed = gagal
adm-pay-refunded = dikembalikan
adm-order-paid = dibayar
adm-order-provisioned = diaktifkan
adm-order-cancelled = dibatalkan
adm-kind-purchase = pembelian
adm-kind-renewal = perpanjangan
adm-kind-trial = uji coba
adm-kind-bonus = bonus
adm-refund = Kembalikan dana
adm-refund-label = Kembalikan dana pembayaran #{ $id }
adm-refund-confirm = Kembalikan dana pembayaran #{ $id } sebesar { $amount }? Hari yang dibayarnya akan ditarik kembali.
adm-refund-done = Dana pembayaran #{ $id } telah dikembalikan.
adm-refund-requested = { $provider } menerima pengembalian dana pembayaran #{ $id }; selesai setelah dikonfirmasi.
adm-refund-refused = Dana pembayaran #{ $id } tidak dikembalikan: { $reason }
adm-filter-from = Dari
adm-filter-to = Sampai
adm-csv = Unduh CSV
adm-payments-empty = Tidak ada pembayaran yang cocok.
adm-plans-intro = Harga dalam satuan biasa tiap mata uang. Harga kosong berarti paket tidak dijual dalam mata uang itu. Perubahan hanya berlaku untuk pesanan baru.
adm-field-name = Nama
adm-field-days = Hari
adm-field-traffic-gb = Trafik, GB (0 = tanpa batas)
adm-field-device-limit = Perangkat (0 = tanpa batas)
adm-field-active = Dijual
adm-plan-saved = Paket “{ $plan }” disimpan.
adm-plan-unchanged = Tidak ada yang berubah.
adm-plan-updated = Diubah { $date }
adm-promo-new = Kode promo baru
adm-field-code = Kode
adm-field-kind = Jenis
adm-promo-kind-days = Hari gratis
adm-promo-kind-percent = Diskon, %
adm-field-value = Nilai
adm-field-max-uses = Pemakaian (kosong = tanpa batas)
adm-field-last-day = Hari terakhir (kosong = tanpa akhir)
adm-create = Buat
adm-promo-created = Kode { $code } dibuat.
adm-promo-list = Kode promo
adm-col-code = Kode
adm-col-value = Nilai
adm-col-uses = Dipakai
adm-col-valid = Berlaku sampai
adm-col-active = Aktif
adm-promo-days = +{ $value } hari
adm-promo-percent = diskon { $value }%
adm-unlimited = tanpa batas
adm-deactivate = Nonaktifkan
adm-deactivate-label = Nonaktifkan { $code }
adm-deactivate-confirm = Nonaktifkan kode { $code }? Setelah ini tidak ada yang bisa memakainya.
adm-promo-deactivated = Kode { $code } dinonaktifkan.
adm-bc-text = Pesan
adm-bc-hint = HTML Telegram: <b>, <i>, <u>, <s>, <code>, <pre>, dan <a href="https://…">. Baris terakhir “button: Label | https://…” menambahkan tombol tautan.
adm-bc-audience = Penerima
adm-aud-all = Semua
adm-aud-active = Pelanggan aktif
adm-aud-expired = Langganan berakhir
adm-aud-never-paid = Belum pernah membayar
adm-bc-locale = Bahasa
adm-bc-any-locale = Semua bahasa
adm-bc-preview = Pratinjau
adm-bc-send = Kirim
adm-bc-preview-title = Yang akan dilihat pelanggan
adm-bc-recipients = Penerima: { $n }
adm-bc-counts = Semua { $all } · aktif { $active } · berakhir { $expired } · belum membayar { $neverPaid }
adm-bc-empty = Tulis pesannya dulu.
adm-bc-confirm = Kirim pesan ini ke { $n } pelanggan?
adm-bc-started = Siaran #{ $id } dimulai.
adm-bc-progress-title = Siaran #{ $id }
adm-bc-progress = { $sent } terkirim · { $blocked } diblokir · { $failed } gagal · { $pending } menunggu
adm-bc-cancel = Hentikan pengiriman
adm-bc-cancel-confirm = Hentikan siaran ini? Pelanggan yang sudah menerimanya tetap menyimpannya.
adm-bc-recent = Siaran terbaru
adm-bc-draft = draf
adm-bc-sending = mengirim
adm-bc-done = selesai
adm-bc-cancelled = dihentikan
adm-col-text = Teks
adm-col-total = Penerima
adm-col-sent = Terkirim
adm-col-node = Server
adm-col-country = Negara
adm-col-address = Alamat
adm-col-online = Online
adm-col-traffic = Trafik
adm-col-health = Pemeriksaan
adm-node-connected = terhubung
adm-node-disconnected = terputus
adm-node-disabled = nonaktif
adm-node-up-since = aktif sejak { $time }
adm-node-down-since = mati sejak { $time }
adm-nodes-empty = Tidak ada server.
