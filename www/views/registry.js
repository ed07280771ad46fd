// The app's views, in nav order. Adding a view = one module in this folder plus one line
// here. A view module exports:
//   mount(root, ctx) -> optional cleanup function
//     root: an empty element owned by the view until cleanup
//     ctx:  { session, navigate(id), params: { id, arg, query } }  (session: lib/session.js,
//           the workspace of tables; params: #/id/arg?query of the address)
// Modules are imported on first visit. `hidden: true` keeps a view out of the nav (reached by
// link); its `parent` is the nav entry shown as current meanwhile.
export const views = [
  { id: 'data', title: 'Data', load: () => import('./data.js') },
  { id: 'workspace', title: 'Workspace', load: () => import('./workspace.js') },
  { id: 'customers', title: 'Customers', load: () => import('./customers.js') },
  { id: 'customer', title: 'Customer', hidden: true, parent: 'customers', load: () => import('./customer.js') },
  { id: 'profile', title: 'Profile', load: () => import('./profile.js') },
  { id: 'clean', title: 'Clean', load: () => import('./clean.js') },
  { id: 'value', title: 'Customer value', load: () => import('./value.js') },
  { id: 'segments', title: 'Segments', load: () => import('./segment.js') },
  { id: 'recommend', title: 'Recommendations', load: () => import('./recommend.js') },
  { id: 'sentiment', title: 'Sentiment', load: () => import('./sentiment.js') },
  { id: 'predict', title: 'Predict', load: () => import('./predict.js') },
  { id: 'rules', title: 'Rules', load: () => import('./rules.js') },
];
