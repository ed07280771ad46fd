// The app's views, in nav order. Adding a view = one module in this folder plus one line
// here. A view module exports:
//   mount(root, ctx) -> optional cleanup function
//     root: an empty element owned by the view until cleanup
//     ctx:  { session, navigate(id) }  (session: lib/session.js, the shared dataset)
// Modules are imported on first visit.
export const views = [
  { id: 'data', title: 'Data', load: () => import('./data.js') },
  { id: 'profile', title: 'Profile', load: () => import('./profile.js') },
  { id: 'clean', title: 'Clean', load: () => import('./clean.js') },
  { id: 'value', title: 'Customer value', load: () => import('./value.js') },
  { id: 'segments', title: 'Segments', load: () => import('./segment.js') },
  { id: 'recommend', title: 'Recommendations', load: () => import('./recommend.js') },
  { id: 'sentiment', title: 'Sentiment', load: () => import('./sentiment.js') },
  { id: 'predict', title: 'Predict', load: () => import('./predict.js') },
];
