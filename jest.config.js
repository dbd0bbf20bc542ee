// Run every test in UTC so dates render the same on any machine.
process.env.TZ = 'UTC';

module.exports = {
  ...require('./.config/jest.config'),
  // The configuration page's tests type into dozens of @grafana/ui inputs;
  // on a loaded two-core runner one took over the scaffold's 30 s. This is a
  // hang guard, not a speed target.
  testTimeout: 120000,
};
