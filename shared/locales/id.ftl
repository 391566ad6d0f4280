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
