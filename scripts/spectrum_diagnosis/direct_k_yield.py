"""Direct (electron-impact) K-shell ionisation of W by the Bethe formula (b_K = 0.35, Casnati et al. 1982
relativistic factor, CSDA) against the bremsstrahlung-fluorescence (indirect) K yield of tbc_model, and the
mean energy ratios to SpekPy when the K lines are rescaled to indirect + direct. Run: python3 direct_k_yield.py"""
from tbc_model import *
import numpy as np
EK=69.525
def relfac(U):
    J=MC2/EK
    return (1+2*J)/(U+2*J)*((U+J)/(1+J))**2*((1+U)*(U+2*J)*(1+J)**2/(J*J*(1+2*J)+U*(U+2*J)*(1+J)**2))**1.5
def direct_over_indirect(k):
    nrm=norm_sb(k)
    dT=k/400; T=(np.arange(400)+0.5)*dT; wT=(T+MC2)/T/S(T)*dT
    dE=0.5; Eg=(np.arange(int(k/dE))+0.5)*dE; muW=mu_rho(74,Eg)
    sh=lambda x: 1+x*(-5.049+x*(10.847+x*(-10.516+x*3.842)))
    sel=Eg>EK
    bare=np.array([np.sum(sh(e/T[T>e])*wT[T>e])/e for e in Eg[sel]])*nrm*dE
    pe=np.array([xl.CS_Photo(74,float(e)) for e in Eg[sel]])
    indirect=np.sum(0.5*bare*(1-1/5.1)*pe/muW[sel])
    TT=np.linspace(EK*1.0001,k,800); U=TT/EK
    sig=6.51e-20*2*0.35*np.log(U)/(U*EK**2)*relfac(U)
    direct=np.trapezoid(6.02214076e23/183.84*sig/S(TT),TT)
    return direct/indirect
rows=[]
for k in (40,50,70,90,110,125):
    ks=(1+direct_over_indirect(k))/2 if k>EK else 1
    for n in FILTS:
        E,N=spectrum(k,FILTS[n],kscale=ks); m=np.sum(E*N)/np.sum(N); E0,N0=spectrum(k,FILTS[n]); m0=np.sum(E0*N0)/np.sum(N0)
        rm=ref(k,n)[1]; print(k,n,'ks %.3f'%ks,'now %.3f -> %.3f'%(m0/rm,m/rm),flush=True)
