import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn.mjs'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { router } from './router'
import { setClientHooks } from './api/client'
import { useSessionStore } from './stores/session'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)
app.use(ElementPlus, { locale: zhCn })

const session = useSessionStore(pinia)
setClientHooks({
  csrfToken: () => session.csrfToken,
  onUnauthorized: () => {
    if (!session.loggedIn) return
    session.expire()
    const here = router.currentRoute.value
    if (here.name !== 'login') {
      void router.replace({ name: 'login', query: here.fullPath === '/' ? {} : { redirect: here.fullPath } })
    }
  },
  onPasswordChangeRequired: () => {
    if (session.user) session.user = { ...session.user, must_change_password: true }
    void router.replace({ name: 'change-password' })
  },
})

app.mount('#app')
