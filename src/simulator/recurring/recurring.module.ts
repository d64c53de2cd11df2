import type { SimContext, SimModule } from '../context';

export function recurringModule(_ctx: SimContext): SimModule {
  return { routes: [] };
}
