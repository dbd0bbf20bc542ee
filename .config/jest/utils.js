// Packages that ship only ES modules: jest must transform them instead of
// loading node_modules verbatim.
const nodeModulesToTransform = (moduleNames) => `node_modules/(?!.*(${moduleNames.join('|')})/.*)`;

const grafanaESModules = [
  '.pnpm',
  '@grafana/schema',
  '@grafana/i18n',
  '@wojtekmaj/date-utils',
  'd3',
  'd3-color',
  'd3-force',
  'd3-interpolate',
  'd3-scale-chromatic',
  'get-user-locale',
  'marked',
  'memoize',
  'mimic-function',
  'ol',
  'react-calendar',
  'react-colorful',
  'rxjs',
  'uuid',
  'ua-parser-js',
  'immer',
];

module.exports = { nodeModulesToTransform, grafanaESModules };
