-- The three plans of product.md with every price. Plans and prices are data: the admin edits
-- them; this only seeds a new database. Minor units: USD cents, XTR whole Stars, INR paise,
-- IDR whole rupiah. 100 GB = 107374182400 bytes; 0 = unlimited. Traffic is a budget per paid
-- period (NO_RESET on the panel; provisioning resets usage when a new period is bought).
INSERT INTO plans (id, slug, name, days, traffic_limit_bytes, traffic_strategy, device_limit, sort_order, created_at, updated_at) VALUES
    (1, 'monthly',   'Monthly',   30,  107374182400, 'NO_RESET', 3, 1, unixepoch(), unixepoch()),
    (2, 'quarterly', 'Quarterly', 90,  322122547200, 'NO_RESET', 3, 2, unixepoch(), unixepoch()),
    (3, 'yearly',    'Yearly',    365, 0,            'NO_RESET', 5, 3, unixepoch(), unixepoch());

INSERT INTO plan_prices (plan_id, currency, amount_minor) VALUES
    (1, 'USD', 200),  (1, 'XTR', 100), (1, 'INR', 16900),  (1, 'IDR', 32000),
    (2, 'USD', 500),  (2, 'XTR', 250), (2, 'INR', 41900),  (2, 'IDR', 79000),
    (3, 'USD', 1600), (3, 'XTR', 800), (3, 'INR', 133900), (3, 'IDR', 255000);
