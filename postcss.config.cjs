// Mantine's PostCSS preset (rem/em functions, light-dark and breakpoint mixins) for the web app's CSS.
module.exports = {
  plugins: {
    'postcss-preset-mantine': {},
  },
};
