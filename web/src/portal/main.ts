/** The member portal (党员之家) under /m/: Vue 3 + Vant 4, the same API and generated types as the console. */
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import {
  Button,
  Cascader,
  Cell,
  CellGroup,
  DatePicker,
  Dialog,
  Empty,
  Field,
  Form,
  Icon,
  Image as VanImage,
  NavBar,
  NoticeBar,
  Picker,
  Popup,
  PullRefresh,
  Radio,
  RadioGroup,
  Search,
  Step,
  Steps,
  Tab,
  Tabbar,
  TabbarItem,
  Tabs,
  Tag,
  Uploader,
} from 'vant'
import 'vant/lib/index.css'
import './portal.css'
import App from './App.vue'
import { router } from './router'
import { setClientHooks } from '@/api/client'
import { useSessionStore } from '@/stores/session'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)
for (const c of [
  Button, Cascader, Cell, CellGroup, DatePicker, Dialog, Empty, Field, Form, Icon, VanImage, NavBar, NoticeBar, Picker, Popup,
  PullRefresh, Radio, RadioGroup, Search, Step, Steps, Tab, Tabbar, TabbarItem, Tabs, Tag, Uploader,
]) {
  app.use(c)
}

const session = useSessionStore(pinia)
setClientHooks({
  csrfToken: () => session.csrfToken,
  onUnauthorized: () => {
    if (!session.loggedIn) return
    session.expire()
    void router.replace({ name: 'login' })
  },
  onPasswordChangeRequired: () => {
    if (session.user) session.user = { ...session.user, must_change_password: true }
    void router.replace({ name: 'login' })
  },
})

app.mount('#app')
