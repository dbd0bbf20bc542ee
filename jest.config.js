// Run every test in UTC so dates render the same on any machine.
process.env.TZ = 'UTC';

module.exports = {
  ...require('./.config/jest.config'),
};
