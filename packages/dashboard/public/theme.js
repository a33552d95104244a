// Applies the theme chosen in the dashboard (light or dark) before the first paint; no choice follows the system.
try {
  var theme = localStorage.getItem('overdue-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // Storage may be blocked (private mode): the system's theme applies.
}
