// Baseline for scheduler lag: bare Node timers set for the same deadlines, in their own process.
process.once('message', ({ deadlines }) => {
  const lags = [];
  let left = deadlines.length;
  for (const at of deadlines) {
    setTimeout(
      () => {
        lags.push(Date.now() - at);
        if (--left === 0) process.send({ lags }, () => process.exit(0));
      },
      Math.max(0, at - Date.now()),
    );
  }
});
