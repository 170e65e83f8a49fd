export { createCairnYoga, type CairnYoga, type YogaOptions } from './create-yoga.ts';
