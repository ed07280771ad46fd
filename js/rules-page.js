// The page's (and Node's) rules API: js/rules.js over the page's module loader.
import { loadModule } from './modules.js';
import { makeRules } from './rules.js';

export const { loadRules, rules, rulesAsync, ruleCounts, ruleTemplates, ruleFromTemplate } = makeRules(loadModule);
