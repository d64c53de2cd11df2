import type { SimContext, SimModule } from '../context';

export function receiptsModule(_ctx: SimContext): SimModule {
  return { routes: [] };
}
