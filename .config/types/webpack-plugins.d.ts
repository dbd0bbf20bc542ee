// replace-in-file-webpack-plugin ships no types; the build uses its
// constructor only.
declare module 'replace-in-file-webpack-plugin';
