// The public pages' script: `?lang=` redirect, then live prices and bot links from
// GET /api/plans. Without it (or when the API fails) the page keeps the seeded prices and
// links the generator wrote.
import { langRedirect, setBotLinks, renderPlans } from './lib/common.js';

async function live() {
  let data;
  try {
    const res = await fetch('/api/plans', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    data = await res.json();
  } catch {
    return; // offline or no Worker: the built-in prices stay
  }
  setBotLinks(data.bot);
  if (Array.isArray(data.plans) && data.plans.length) renderPlans(data.plans);
}

if (!langRedirect()) live();
