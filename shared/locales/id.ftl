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
coming-soon = Fitur ini segera hadir. Nantikan ya!
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
